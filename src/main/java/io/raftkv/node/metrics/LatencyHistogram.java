package io.raftkv.node.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram of durations over fixed bucket bounds, in the shape Prometheus histograms have
 * ({@code le} buckets, count, sum), so the scraper can compute any quantile over any window with
 * {@code histogram_quantile(q, rate(..._bucket[w]))} instead of the server guessing one.
 *
 * <p>{@link #record} is on hot paths (every applied proposal, every fsync): it finds the bucket with at
 * most {@link #BUCKETS} comparisons and does one atomic increment per counter, with no lock and no
 * allocation. Everything else ({@link #snapshot}) runs when metrics are scraped.
 */
public final class LatencyHistogram {

  /** Upper bounds of the finite buckets, in nanoseconds: 50 µs to 10 s, about 2.5x apart. */
  static final long[] BOUNDS_NANOS = {
      50_000L, 100_000L, 250_000L, 500_000L,
      1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
      100_000_000L, 250_000_000L, 500_000_000L,
      1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};

  /** Finite buckets; one more counts everything above the last bound ({@code le="+Inf"}). */
  public static final int BUCKETS = BOUNDS_NANOS.length;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
  private final LongAdder sumNanos = new LongAdder();
  private final AtomicLong maxNanos = new AtomicLong();

  /** Records one duration; negative durations (a clock that went backwards) count as zero. */
  public void record(long nanos) {
    long v = Math.max(0, nanos);
    int i = 0;
    while (i < BUCKETS && v > BOUNDS_NANOS[i]) i++;
    counts.incrementAndGet(i);
    sumNanos.add(v);
    long m;
    while (v > (m = maxNanos.get()) && !maxNanos.compareAndSet(m, v)) {
      // another thread raised the max meanwhile: compare again
    }
  }

  /** The upper bound of finite bucket {@code i}, in seconds (the {@code le} label). */
  public static double boundSeconds(int i) {
    return BOUNDS_NANOS[i] / 1e9;
  }

  /** Counts as of now. Records that race with this call may show in the count but not yet the sum. */
  public Snapshot snapshot() {
    long[] perBucket = new long[BUCKETS + 1];
    for (int i = 0; i <= BUCKETS; i++) perBucket[i] = counts.get(i);
    return new Snapshot(perBucket, sumNanos.sum(), maxNanos.get());
  }

  /**
   * A copy of the counts.
   *
   * @param perBucket observations per bucket ({@code BUCKETS + 1} entries, the last one above every bound)
   */
  public record Snapshot(long[] perBucket, long sumNanos, long maxNanos) {

    public Snapshot {
      perBucket = perBucket.clone();
    }

    /** Observations recorded. */
    public long count() {
      return Arrays.stream(perBucket).sum();
    }

    /** Observations at or below the bound of finite bucket {@code i} (Prometheus' cumulative {@code le}). */
    public long cumulative(int i) {
      long n = 0;
      for (int b = 0; b <= i; b++) n += perBucket[b];
      return n;
    }

    public double sumSeconds() {
      return sumNanos / 1e9;
    }

    /**
     * The {@code q} quantile in seconds, interpolated linearly inside its bucket the way Prometheus'
     * {@code histogram_quantile} does; the max when it falls in the last (unbounded) bucket; 0 when empty.
     */
    public double quantileSeconds(double q) {
      if (q < 0 || q > 1) throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
      long total = count();
      if (total == 0) return 0;
      double rank = q * total;
      long below = 0;
      for (int i = 0; i < BUCKETS; i++) {
        long inBucket = perBucket[i];
        if (below + inBucket >= rank && inBucket > 0) {
          long lower = i == 0 ? 0 : BOUNDS_NANOS[i - 1];
          double fraction = (rank - below) / inBucket;
          return (lower + fraction * (BOUNDS_NANOS[i] - lower)) / 1e9;
        }
        below += inBucket;
      }
      return maxNanos / 1e9;
    }
  }
}
