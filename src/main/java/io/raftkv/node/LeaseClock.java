package io.raftkv.node;

/**
 * Maps the core's tick counter to the loop's monotonic clock so a lease read is checked in real time
 * (docs/api.md, "Lease reads"). The core measures its lease in ticks, and ticks a stalled loop did
 * not deliver are time the core never saw; this records, for each recent tick, the monotonic time
 * taken just before the loop delivered it (so every heartbeat sent with that tick left later).
 *
 * <p>A follower that heard a heartbeat sent at tick {@code t} refuses votes for {@code electionTicks}
 * of its own ticks, which the loop spaces at least one heartbeat interval apart: for at least
 * {@code (electionTicks - 1) x heartbeat} of real time after the send. The lease therefore holds while
 * {@code now - time(t) < (electionTicks - 1) x heartbeat - drift}. Loop thread only.
 */
final class LeaseClock {
  private final long[] tickNanos;
  private final long leaseNanos;
  /** Mirrors the core's tick counter, which starts at 1 and grows by one per {@code tick()}. */
  private long tick = 1;

  LeaseClock(int electionTicks, long heartbeatNanos, long driftNanos, long startNanos) {
    this.tickNanos = new long[Math.max(4, 2 * electionTicks)];
    this.leaseNanos = (electionTicks - 1L) * heartbeatNanos - driftNanos;
    tickNanos[slot(tick)] = startNanos;
  }

  /** Call with a time read before each {@code core.tick()}. */
  void beforeTick(long nowNanos) {
    tick++;
    tickNanos[slot(tick)] = nowNanos;
  }

  /** True if a lease resting on the heartbeat round of tick {@code leaseTick} still holds at {@code nowNanos}. */
  boolean holds(long leaseTick, long nowNanos) {
    if (leaseTick <= 0 || leaseTick > tick || tick - leaseTick >= tickNanos.length) return false;
    return nowNanos - tickNanos[slot(leaseTick)] < leaseNanos;
  }

  private int slot(long t) {
    return (int) (t % tickNanos.length);
  }
}
