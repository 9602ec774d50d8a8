package io.raftkv.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void aBoundBelongsToItsOwnBucketAndTheNextNanosecondToTheNext() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(1_000_000);     // exactly 1 ms: the le="0.001" bucket
    h.record(1_000_001);     // just above: le="0.0025"
    LatencyHistogram.Snapshot s = h.snapshot();
    int ms = bucketOf(1_000_000);
    assertThat(s.perBucket()[ms]).isEqualTo(1);
    assertThat(s.perBucket()[ms + 1]).isEqualTo(1);
    assertThat(s.cumulative(ms)).isEqualTo(1);
    assertThat(s.cumulative(ms + 1)).isEqualTo(2);
  }

  @Test
  void countsSumMaxAndTheOverflowBucket() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(20_000);           // 20 µs
    h.record(3_000_000);        // 3 ms
    h.record(60_000_000_000L);  // 60 s: above every bound
    h.record(-5);               // a clock step back counts as 0
    LatencyHistogram.Snapshot s = h.snapshot();
    assertThat(s.count()).isEqualTo(4);
    assertThat(s.perBucket()[0]).isEqualTo(2);
    assertThat(s.perBucket()[LatencyHistogram.BUCKETS]).isEqualTo(1);
    assertThat(s.cumulative(LatencyHistogram.BUCKETS - 1)).isEqualTo(3);
    assertThat(s.sumNanos()).isEqualTo(20_000 + 3_000_000 + 60_000_000_000L);
    assertThat(s.sumSeconds()).isCloseTo(60.00302, within(1e-9));
    assertThat(s.maxNanos()).isEqualTo(60_000_000_000L);
  }

  @Test
  void quantilesInterpolateInsideTheirBucketLikePrometheus() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 100; i++) h.record(i < 90 ? 80_000 : 400_000); // 90 in (50,100] µs, 10 in (250,500] µs
    LatencyHistogram.Snapshot s = h.snapshot();
    // rank 50 of 90 in (50 µs, 100 µs]: 50 + 50 * 50/90 µs
    assertThat(s.quantileSeconds(0.5)).isCloseTo((50 + 50.0 * 50 / 90) / 1e6, within(1e-12));
    // rank 99: 9 of 10 in (250 µs, 500 µs]
    assertThat(s.quantileSeconds(0.99)).isCloseTo((250 + 250 * 0.9) / 1e6, within(1e-12));
    assertThat(new LatencyHistogram().snapshot().quantileSeconds(0.99)).isZero();
  }

  @Test
  void aQuantileInTheOverflowBucketIsTheMax() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(42_000_000_000L);
    assertThat(h.snapshot().quantileSeconds(0.99)).isEqualTo(42.0);
  }

  @Test
  void concurrentRecordsAreNeitherLostNorDoubled() throws Exception {
    LatencyHistogram h = new LatencyHistogram();
    int threads = 4;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long value = (t + 1) * 1_000_000L;
      Thread w = new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < each; i++) h.record(value);
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(w.isAlive()).isFalse();
    }
    LatencyHistogram.Snapshot s = h.snapshot();
    assertThat(s.count()).isEqualTo((long) threads * each);
    assertThat(s.sumNanos()).isEqualTo(each * (1L + 2 + 3 + 4) * 1_000_000L);
    assertThat(s.maxNanos()).isEqualTo(4_000_000L);
  }

  private static int bucketOf(long boundNanos) {
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      if (LatencyHistogram.BOUNDS_NANOS[i] == boundNanos) return i;
    }
    throw new AssertionError("no bound " + boundNanos);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
