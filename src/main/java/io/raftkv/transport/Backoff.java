package io.raftkv.transport;

import java.time.Duration;

/** Exponential reconnect delay: doubles from {@code min} up to {@code max}; {@link #reset} on success. */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private long nextNanos;

  Backoff(Duration min, Duration max) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = minNanos;
  }

  /** The delay to wait now; the following call returns twice as much, capped at max. */
  Duration next() {
    long current = nextNanos;
    nextNanos = Math.min(maxNanos, current * 2);
    return Duration.ofNanos(current);
  }

  void reset() {
    nextNanos = minNanos;
  }
}
