package io.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrefixTrimmerTest {

  /** Segment first indexes; removes like LogSegments.removeLowestBelow (never the last one). */
  private static class FakeSegments implements PrefixTrimmer.Remover {
    final NavigableSet<Long> firsts = new ConcurrentSkipListSet<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    FakeSegments(long... firsts) {
      for (long f : firsts) this.firsts.add(f);
    }

    @Override
    public boolean removeOneBelow(long to) {
      threads.add(Thread.currentThread().getName());
      Long lowest = firsts.isEmpty() ? null : firsts.first();
      Long next = lowest == null ? null : firsts.higher(lowest);
      if (next == null || next > to) return false;
      firsts.remove(lowest);
      return true;
    }
  }

  @Test
  void removesEverySegmentEntirelyBelowTheLatestTargetOnItsOwnThread() throws Exception {
    FakeSegments log = new FakeSegments(1, 101, 201, 301, 401);
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "trimmer-under-test")) {
      trimmer.trimBelow(150);
      trimmer.trimBelow(301);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(log.firsts).containsExactly(301L, 401L);
    assertThat(log.threads).containsOnly("trimmer-under-test");
  }

  @Test
  void aLowerTargetThanOneAlreadyRequestedChangesNothing() throws Exception {
    FakeSegments log = new FakeSegments(1, 51, 101);
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "t")) {
      trimmer.trimBelow(60);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
      log.firsts.add(0L); // would go if a lower target were still served
      trimmer.trimBelow(10);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(log.firsts).containsExactly(0L, 51L, 101L);
  }

  @Test
  void theSameTargetAgainLooksAgain() throws Exception {
    FakeSegments log = new FakeSegments(1);
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "t")) {
      trimmer.trimBelow(500);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
      assertThat(log.firsts).as("the last segment stays").containsExactly(1L);
      log.firsts.add(500L); // an append started a new segment
      trimmer.trimBelow(500);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(log.firsts).containsExactly(500L);
  }

  @Test
  void callersDoNotWaitForTheRemoval() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FakeSegments log = new FakeSegments(1, 3, 5, 7) {
      @Override
      public boolean removeOneBelow(long to) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.removeOneBelow(to);
      }
    };
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "t")) {
      long start = System.nanoTime();
      trimmer.trimBelow(6);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(trimmer.awaitTrimmed(Duration.ofMillis(50))).isFalse();
      release.countDown();
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(log.firsts).containsExactly(5L, 7L);
  }

  @Test
  void aRemovalRefusedForTheDiskLimitIsRetried() throws Exception {
    java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
    FakeSegments log = new FakeSegments(1, 11, 21) {
      @Override
      public boolean removeOneBelow(long to) {
        if (refusals.getAndIncrement() < 2) {
          throw new DiskLimitReachedException(java.nio.file.Path.of("je"), new IllegalStateException("full"));
        }
        return super.removeOneBelow(to);
      }
    };
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "t")) {
      trimmer.trimBelow(21);
      assertThat(trimmer.awaitTrimmed(PrefixTrimmer.RETRY_WAIT.multipliedBy(10))).isTrue();
    }
    assertThat(log.firsts).containsExactly(21L);
    assertThat(refusals.get()).isGreaterThan(2);
  }

  @Test
  void aFailedRemovalStopsTheTrimmerAndLeavesTheSegmentsForTheNextOpen() throws Exception {
    PrefixTrimmer.Remover failing = to -> {
      throw new IllegalStateException("JE environment failed");
    };
    try (PrefixTrimmer trimmer = new PrefixTrimmer(failing, "t")) {
      trimmer.trimBelow(100);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isFalse(); // returns: stopped, not pending forever
    }
  }
}
