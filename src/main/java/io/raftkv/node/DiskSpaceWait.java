package io.raftkv.node;

import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.DiskLimitReachedException;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The loop's storage when the disk may fill up. A write the log store refuses for its disk limits
 * ({@link DiskLimitReachedException}: less than {@code raftkv.storage.free.disk.bytes} free) is retried on
 * the loop thread, with a growing pause up to {@link #MAX_PAUSE_MS}, until it succeeds: the node waits
 * for space instead of dying. The Ready being handled cannot be skipped (Raft must not acknowledge or
 * apply what is not durable), so the loop stalls: no ticks, no heartbeats, no votes; a leader whose disk
 * is full is replaced by a follower whose disk is not, and every node resumes where it stopped once space
 * is freed. While it waits, {@link #refusal()} is set so that new requests are refused at once (503 with
 * Retry-After, docs/api.md), readiness is DOWN and {@code raftkv_disk_writes_blocked} is 1; the requests
 * already waiting on the loop time out as usual ({@code whileWaiting}).
 *
 * <p>Off the loop thread, or once the loop is stopping ({@code keepWaiting} false), the refusal is thrown
 * as it is: a node that cannot write at start-up fails to start with the store's message.
 */
final class DiskSpaceWait extends DelegatingStorage {
  private static final Logger LOG = Logger.getLogger(DiskSpaceWait.class.getName());
  static final long FIRST_PAUSE_MS = 50;
  static final long MAX_PAUSE_MS = 1_000;
  /** Retry-After of requests refused while waiting (JE re-checks its disk usage every few seconds). */
  static final int RETRY_AFTER_S = 5;

  private final BooleanSupplier keepWaiting;
  private final Runnable whileWaiting;
  private volatile String refusal;

  /**
   * @param keepWaiting  true while a refused write should be retried (the loop runs and this is its thread)
   * @param whileWaiting run between attempts on the waiting thread (expires and refuses queued requests)
   */
  DiskSpaceWait(RaftStorage storage, BooleanSupplier keepWaiting, Runnable whileWaiting) {
    super(storage);
    this.keepWaiting = keepWaiting;
    this.whileWaiting = whileWaiting;
  }

  /** The store's refusal while the loop waits for disk space; null while writes succeed. */
  String refusal() {
    return refusal;
  }

  /** The answer to a request that arrives while the loop waits for disk space; null otherwise. */
  NodeException refusedRequest() {
    String why = refusal;
    if (why == null) return null;
    return new NodeException.Unavailable("insufficient storage: this node cannot write its log and waits for disk"
        + " space; nothing was written (" + why + ")", RETRY_AFTER_S);
  }

  @Override
  public void save(HardState hs, List<Entry> entries, boolean sync) {
    untilStored(() -> super.save(hs, entries, sync));
  }

  @Override
  public void installSnapshot(SnapshotMeta meta) {
    untilStored(() -> super.installSnapshot(meta));
  }

  @Override
  public void compact(SnapshotMeta meta, long retainFrom) {
    untilStored(() -> super.compact(meta, retainFrom));
  }

  @Override
  public void saveMembers(Map<Long, String> members) {
    untilStored(() -> super.saveMembers(members));
  }

  private void untilStored(Runnable write) {
    long pauseMs = FIRST_PAUSE_MS;
    long began = System.nanoTime();
    while (true) {
      try {
        write.run();
        if (refusal != null) {
          refusal = null;
          LOG.warning("disk space is available again: writes resumed after "
              + (System.nanoTime() - began) / 1_000_000 + " ms");
        }
        return;
      } catch (DiskLimitReachedException e) {
        if (!keepWaiting.getAsBoolean()) throw e;
        if (refusal == null) {
          LOG.severe(e.getMessage() + " -- the node refuses requests and waits for disk space"
              + " (free space on the data directory's file system, or lower " + NodeConfig.FREE_DISK_BYTES + ")");
        }
        refusal = e.getMessage();
        whileWaiting.run();
        pause(pauseMs, e);
        pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
      }
    }
  }

  private static void pause(long ms, DiskLimitReachedException cause) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
