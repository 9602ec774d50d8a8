package io.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PrefixTrimmerTest {

  /** Records 1..n in a sorted set; deletes like LogRecords.deleteRange (from the first survivor up). */
  private static class FakeLog implements PrefixTrimmer.ChunkDeleter {
    final NavigableSet<Long> records = new ConcurrentSkipListSet<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<Long> chunkSizes = new CopyOnWriteArrayList<>();

    FakeLog(long n) {
      LongStream.rangeClosed(1, n).forEach(records::add);
    }

    @Override
    public long delete(long from, long to, int max) {
      threads.add(Thread.currentThread().getName());
      long deleted = 0;
      for (Long r : List.copyOf(records.subSet(from, true, to, false))) {
        if (deleted == max) break;
        records.remove(r);
        deleted++;
      }
      chunkSizes.add(deleted);
      return deleted;
    }
  }

  @Test
  void deletesEverythingBelowTheLatestTargetInBoundedChunksOnItsOwnThread() throws Exception {
    FakeLog log = new FakeLog(5_500);
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "trimmer-under-test")) {
      trimmer.trimBelow(2_001);
      trimmer.trimBelow(4_501);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(log.records.first()).isEqualTo(4_501L);
    assertThat(log.records).hasSize(1_000);
    assertThat(log.chunkSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PrefixTrimmer.CHUNK));
    assertThat(log.threads).containsOnly("trimmer-under-test");
  }

  @Test
  void aLowerTargetThanOneAlreadyRequestedChangesNothing() throws Exception {
    FakeLog log = new FakeLog(100);
    try (PrefixTrimmer trimmer = new PrefixTrimmer(log, "t")) {
      trimmer.trimBelow(51);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
      trimmer.trimBelow(10);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isTrue();
    }
    assertThat(log.records.first()).isEqualTo(51L);
  }

  @Test
  void callersDoNotWaitForTheDeletion() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FakeLog log = new FakeLog(10) {
      @Override
      public long delete(long from, long to, int max) {
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.delete(from, to, max);
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
    assertThat(log.records.first()).isEqualTo(6L);
  }

  @Test
  void aFailedDeletionStopsTheTrimmerAndLeavesTheRecordsForTheNextOpen() throws Exception {
    PrefixTrimmer.ChunkDeleter failing = (from, to, max) -> {
      throw new IllegalStateException("JE environment failed");
    };
    try (PrefixTrimmer trimmer = new PrefixTrimmer(failing, "t")) {
      trimmer.trimBelow(100);
      assertThat(trimmer.awaitTrimmed(Duration.ofSeconds(10))).isFalse(); // returns: stopped, not pending forever
    }
  }
}
