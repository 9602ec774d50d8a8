package io.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction must delete records and, with JE's cleaner, give the disk space back. */
class CompactionReclaimTest {
  private static final StoreOptions SMALL_FILES = new StoreOptions(16L << 20, 1_000_000, 1L << 20, 50);

  @TempDir Path dir;

  @Test
  void compactionDeletesRecordsAndCleanerShrinksEnvironment() throws Exception {
    try (JeLogStore store = JeLogStore.open(dir, SMALL_FILES)) {
      long index = 1;
      for (int batch = 0; batch < 30; batch++) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) entries.add(LogFixtures.sized(index++, 1, 1000));
        store.save(new HardState(1, 1, index - 1), entries, true);
      }
      long last = store.lastIndex();
      assertThat(store.storedEntryCount()).isEqualTo(30_000);
      long before = jdbBytes();
      assertThat(before).isGreaterThan(30_000L * 1000);

      store.compact(new SnapshotMeta(last, 1, ConfState.ofVoters(1L)), last - 99);
      assertThat(store.storedEntryCount()).isEqualTo(100);
      assertThat(store.firstIndex()).isEqualTo(last - 99);
      // whole segments went; the partly compacted last one keeps its leftovers until it is below too
      assertThat(store.segmentFirsts()).hasSize(1);
      assertThat(store.storedRecordCount()).isLessThan(LogSegments.DEFAULT_SPAN);

      // JE's own background cleaner works on the same files: a file it is cleaning while reclaimSpace
      // runs is deleted only at a later checkpoint (seen once in a CI rehearsal: the size had not
      // dropped yet). So reclaim again, bounded, until the files are gone. (How many files
      // reclaimSpace reports cleaned is not asserted: JE deletes files holding only removed databases'
      // records without cleaning them, and its background cleaner may get there first.)
      long after = before;
      for (int round = 0; round < 20 && after >= before / 3; round++) {
        store.reclaimSpace();
        after = jdbBytes();
        if (after >= before / 3) Thread.sleep(250);
      }
      assertThat(after).as("on-disk JE log bytes: before %d, after %d", before, after).isLessThan(before / 3);
      assertThat(store.entries(last - 99, last + 1, Long.MAX_VALUE)).hasSize(100);
    }
    try (JeLogStore reopened = JeLogStore.open(dir, SMALL_FILES)) {
      assertThat(reopened.storedEntryCount()).isEqualTo(100);
      assertThat(reopened.term(reopened.firstIndex() - 1)).isEqualTo(1);
    }
  }

  private long jdbBytes() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("je"))) {
      long total = 0;
      for (Path p : files.filter(p -> p.toString().endsWith(".jdb")).toList()) total += Files.size(p);
      return total;
    }
  }
}
