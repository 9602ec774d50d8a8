package io.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentMutableConfig;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JE's disk limits (je.maxDisk simulates a full disk without filling one): a write beyond them is refused
 * with {@link DiskLimitReachedException}, writes nothing, leaves the store readable, and the same write
 * succeeds once space is available again, without reopening the store.
 */
class DiskLimitTest {
  private static final int ENTRY_BYTES = 64 << 10;
  private static final StoreOptions TINY =
      new StoreOptions(4L << 20, 1_000_000, 1L << 20, 50).withDiskLimits(0, 3_000_000);

  @TempDir Path dir;

  @Test
  void writesBeyondMaxDiskAreRefusedAndSucceedAfterSpaceIsFreed() throws Exception {
    try (JeLogStore store = JeLogStore.open(dir, TINY)) {
      long index = fillUntilRefused(store);
      long last = store.lastIndex();
      assertThat(last).as("some batches fit before the limit").isGreaterThan(0).isEqualTo(index - 1);
      List<Entry> refused = batch(index);
      assertThatThrownBy(() -> store.save(new HardState(1, 1, 0), refused, true))
          .isInstanceOf(DiskLimitReachedException.class)
          .hasMessageContaining("disk limit reached for " + dir.resolve("je"));
      assertThat(store.lastIndex()).as("a refused write adds nothing").isEqualTo(last);
      assertThat(store.entries(1, last + 1, Long.MAX_VALUE)).hasSize((int) last);

      // the operator frees space (here: raises JE's cap); JE re-checks its disk usage in the background
      store.je.env.setMutableConfig(new EnvironmentMutableConfig().setConfigParam(EnvironmentConfig.MAX_DISK, "0"));
      long deadline = System.nanoTime() + 30_000_000_000L;
      boolean saved = false;
      while (!saved && System.nanoTime() < deadline) {
        try {
          store.save(new HardState(1, 1, 0), refused, true);
          saved = true;
        } catch (DiskLimitReachedException stillRefused) {
          Thread.sleep(100);
        }
      }
      assertThat(saved).as("the write succeeds within 30 s of space being freed").isTrue();
      assertThat(store.lastIndex()).isEqualTo(last + refused.size());
    }
  }

  @Test
  void diskLimitsReachJe() throws Exception {
    try (JeLogStore store = JeLogStore.open(dir, StoreOptions.DEFAULT.withDiskLimits(123_456_789, 987_654_321))) {
      EnvironmentConfig config = store.je.env.getConfig();
      assertThat(config.getConfigParam(EnvironmentConfig.FREE_DISK)).isEqualTo("123456789");
      assertThat(config.getConfigParam(EnvironmentConfig.MAX_DISK)).isEqualTo("987654321");
    }
    try (JeLogStore store = JeLogStore.open(dir)) {
      assertThat(store.je.env.getConfig().getConfigParam(EnvironmentConfig.FREE_DISK))
          .isEqualTo(Long.toString(512L << 20));
    }
  }

  @Test
  void maxDiskMustLeaveRoomAboveTheFreeLimit() {
    assertThatThrownBy(() -> StoreOptions.DEFAULT.withDiskLimits(1_000, 1_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be above the free disk limit");
    assertThat(StoreOptions.DEFAULT.withDiskLimits(0, 0).maxDiskBytes()).isZero();
  }

  /** Saves 64 KiB entries (bounded: at most 1,000 batches) until JE refuses; returns the first index not stored. */
  private static long fillUntilRefused(JeLogStore store) {
    long index = 1;
    for (int batch = 0; batch < 1_000; batch++) {
      try {
        store.save(new HardState(1, 1, 0), batch(index), true);
      } catch (DiskLimitReachedException e) {
        return index;
      }
      index += 4;
    }
    throw new AssertionError("1,000 batches of 256 KiB fit under a 3 MB cap");
  }

  private static List<Entry> batch(long from) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 4; i++) entries.add(LogFixtures.sized(from + i, 1, ENTRY_BYTES));
    return entries;
  }
}
