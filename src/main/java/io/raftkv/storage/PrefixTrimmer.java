package io.raftkv.storage;

import com.sleepycat.je.DiskLimitException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes the log segments of a compacted prefix on its own thread, so that compaction costs the Raft
 * loop only the synced meta update that moves the log start. Everything below the log start is already
 * unreachable (every read checks the start first), so when it goes does not matter for correctness.
 *
 * <p>History: the prefix used to be deleted record by record, first in the loop's transaction (17-31% of
 * the loop's samples, docs/benchmarks.md, seventh session), then on this thread (still 9% of a leader's
 * and 19% of a follower's CPU samples, eighth session). Now the unit is a whole segment database
 * ({@link LogSegments}), removed in one JE operation, one transaction each.
 *
 * <p>A crash or a failure leaves segments entirely below the log start; the next open asks for their
 * removal again ({@code JeLogStore.recover}). A removal JE refuses for its disk limits is retried every
 * {@link #RETRY_WAIT} instead: removing segments is what lets the cleaner give the disk back.
 */
final class PrefixTrimmer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PrefixTrimmer.class.getName());
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  static final Duration RETRY_WAIT = Duration.ofSeconds(1);

  /** Removes one unit (a segment) lying entirely below {@code to}, in one transaction; false if none is left. */
  interface Remover {
    boolean removeOneBelow(long to);
  }

  private final Remover remover;
  private final Thread thread;
  private long target = 1; // remove everything entirely below it (guarded by this)
  private long requested; // requests so far; a request at the same target asks to look again (guarded by this)
  private long served; // requests handled completely (guarded by this)
  private boolean stopped; // closed, or a removal failed (guarded by this)

  PrefixTrimmer(Remover remover, String name) {
    this.remover = remover;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Asks for every unit entirely below {@code to} to be removed; returns at once. Asking again with the
   * same bound looks again (a segment that was the last one, and so kept, may since have been followed
   * by a new one); a lower bound than one already asked for changes nothing.
   */
  synchronized void trimBelow(long to) {
    if (to >= target) {
      target = to;
      requested++;
      notifyAll();
    }
  }

  /** Waits until every requested removal is done (or the trimmer stopped); true if none is pending. */
  synchronized boolean awaitTrimmed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (served < requested && !stopped) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, left / 1_000_000));
    }
    return served >= requested;
  }

  /** Stops the thread after the removal in progress; pending removals are left to the next open. */
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
      long[] request;
      while ((request = nextRequest()) != null) {
        if (removeAllBelow(request[0])) finished(request[1]);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "removing a compacted log prefix failed; the next start removes it", e);
    } finally {
      synchronized (this) {
        stopped = true;
        notifyAll();
      }
    }
  }

  /** True once nothing is left below {@code to}; false if stopped first. */
  private boolean removeAllBelow(long to) throws InterruptedException {
    boolean warned = false;
    while (!isStopped()) {
      try {
        if (!remover.removeOneBelow(to)) return true;
      } catch (DiskLimitReachedException | DiskLimitException e) {
        if (!warned) LOG.log(Level.WARNING, "removing a compacted log segment refused (disk limit); retrying", e);
        warned = true;
        pause(RETRY_WAIT);
      }
    }
    return false;
  }

  private synchronized void pause(Duration d) throws InterruptedException {
    if (!stopped) wait(d.toMillis());
  }

  /** Blocks until there is a request; returns {target, request number}, or null once stopped. */
  private synchronized long[] nextRequest() throws InterruptedException {
    while (!stopped && served >= requested) wait();
    return stopped ? null : new long[] {target, requested};
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private synchronized void finished(long request) {
    served = Math.max(served, request);
    notifyAll();
  }
}
