package io.raftkv.storage;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes the records of a compacted log prefix on its own thread, so that compaction costs the Raft
 * loop only the synced meta update that moves the log start. The records below the log start are
 * already unreachable (every read checks the start first), so when they go does not matter for
 * correctness; deleting them one by one in the loop took 17-31% of the loop's samples under write load
 * and stalled every proposal for the length of a 10,000-record transaction each snapshot
 * (docs/benchmarks.md, seventh session).
 *
 * <p>Deletion runs in no-sync transactions of at most {@link #CHUNK} records (short lock holds, bounded
 * log writes). Appends never reach below the log start, so the trimmer and the loop touch disjoint
 * keys. A crash or a failure leaves leftovers that the next open deletes again ({@code
 * JeLogStore.recover}).
 */
final class PrefixTrimmer implements AutoCloseable {
  /** Records deleted per transaction. */
  static final int CHUNK = 1_000;

  private static final Logger LOG = Logger.getLogger(PrefixTrimmer.class.getName());
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /** Deletes up to {@code max} records in {@code [from, to)} in one transaction; returns how many. */
  interface ChunkDeleter {
    long delete(long from, long to, int max);
  }

  private final ChunkDeleter deleter;
  private final Thread thread;
  private long trimmedBelow = 1; // every record below it is deleted (guarded by this)
  private long target = 1; // delete everything below it (guarded by this)
  private boolean stopped; // closed, or a deletion failed (guarded by this)

  PrefixTrimmer(ChunkDeleter deleter, String name) {
    this.deleter = deleter;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Asks for every record below {@code to} to be deleted; returns at once. */
  synchronized void trimBelow(long to) {
    if (to > target) {
      target = to;
      notifyAll();
    }
  }

  /** Waits until every requested deletion is done (or the trimmer stopped); true if none is pending. */
  synchronized boolean awaitTrimmed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (trimmedBelow < target && !stopped) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, left / 1_000_000));
    }
    return trimmedBelow >= target;
  }

  /** Stops the thread after the chunk in progress; pending deletions are left to the next open. */
  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
      notifyAll();
    }
    try {
      thread.join(CLOSE_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      long to;
      while ((to = nextTarget()) > 0) {
        long from = currentStart();
        while (deleter.delete(from, to, CHUNK) == CHUNK) {
          // a full chunk: more may remain in [from, to); the next search starts at the first survivor
          if (isStopped()) return;
        }
        finished(to);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "deleting a compacted log prefix failed; the next start deletes it", e);
    } finally {
      synchronized (this) {
        stopped = true;
        notifyAll();
      }
    }
  }

  /** Blocks until there is something to delete; returns the bound to delete below, or 0 once stopped. */
  private synchronized long nextTarget() throws InterruptedException {
    while (!stopped && target <= trimmedBelow) wait();
    return stopped ? 0 : target;
  }

  private synchronized long currentStart() {
    return trimmedBelow;
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private synchronized void finished(long to) {
    trimmedBelow = Math.max(trimmedBelow, to);
    notifyAll();
  }
}
