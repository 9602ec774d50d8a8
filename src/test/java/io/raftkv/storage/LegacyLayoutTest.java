package io.raftkv.storage;

import static io.raftkv.storage.LogFixtures.entries;
import static io.raftkv.storage.LogFixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.CompactedException;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.MetaCodec.LogStart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory of the single-{@code log}-database layout opens with the segmented store: its log is
 * read as the segment starting at 0, appended to, truncated into, and removed whole once compacted past.
 */
class LegacyLayoutTest {
  private static final StoreOptions SMALL = LogFixtures.SMALL;
  private static final int SPAN = 100;
  private static final SnapshotMeta SNAP = new SnapshotMeta(50, 1, ConfState.ofVoters(1L, 2L, 3L));

  @TempDir Path dir;

  /** Entries 1..500 in term 1, compacted at 50 with leftovers 1..50 still stored (an interrupted trim). */
  private void writeLegacy() throws Exception {
    LegacyLayout.write(dir, entries(1, 500, 1), new HardState(1, 2, 480), SNAP, new LogStart(50, 1));
  }

  @Test
  void legacyStoreOpensReadsAppendsAndTruncatesIntoTheLegacyDatabase() throws Exception {
    writeLegacy();
    try (JeLogStore store = JeLogStore.open(dir, SMALL, SPAN)) {
      assertThat(store.firstIndex()).isEqualTo(51);
      assertThat(store.lastIndex()).isEqualTo(500);
      assertThat(store.hardState()).isEqualTo(new HardState(1, 2, 480));
      assertThat(store.snapshot()).isEqualTo(SNAP);
      assertThat(store.term(50)).isEqualTo(1);
      assertThat(store.entries(51, 501, Long.MAX_VALUE)).isEqualTo(entries(51, 500, 1));
      assertThatThrownBy(() -> store.entries(50, 51, 100)).isInstanceOf(CompactedException.class);
      assertThat(store.storedEntryCount()).isEqualTo(450);
      assertThat(store.segmentFirsts()).containsExactly(0L);
      // an aborted rewrite of the legacy tail must not start a segment inside the legacy records
      store.setWriteHook(index -> {
        throw new IllegalStateException("injected failure at " + index);
      });
      assertThatThrownBy(() -> store.save(null, entries(499, 500, 2), true)).hasMessageContaining("injected");
      store.setWriteHook(index -> { });
    }
    try (JeLogStore store = JeLogStore.open(dir, SMALL, SPAN)) {
      assertThat(store.entries(51, 501, Long.MAX_VALUE)).isEqualTo(entries(51, 500, 1));
      store.save(null, entries(501, 650, 1), true);
      assertThat(store.segmentFirsts()).containsExactly(0L, 501L, 601L);
      // a conflict reaching back into the legacy database: rewritten there, the newer segments emptied
      store.save(new HardState(2, 3, 480), entries(490, 495, 2), true);
      store.save(null, entries(496, 700, 2), true);
    }
    List<Entry> expected = new ArrayList<>(entries(51, 489, 1));
    expected.addAll(entries(490, 700, 2));
    try (JeLogStore store = JeLogStore.open(dir, SMALL, SPAN)) {
      assertThat(store.lastIndex()).isEqualTo(700);
      assertThat(store.entries(51, 701, Long.MAX_VALUE)).isEqualTo(expected);
      assertThat(store.term(489)).isEqualTo(1);
      assertThat(store.term(490)).isEqualTo(2);
      assertThat(store.storedEntryCount()).isEqualTo(650);
    }
  }

  @Test
  void legacyDatabaseIsRemovedWholeOnceCompactedPast() throws Exception {
    writeLegacy();
    try (JeLogStore store = JeLogStore.open(dir, SMALL, SPAN)) {
      store.save(null, entries(501, 650, 1), true);
      assertThat(store.compact(new SnapshotMeta(480, 1, ConfState.ofVoters(1L)), 450)).isTrue();
      assertThat(store.segmentFirsts()).as("the legacy segment still holds 450..500").contains(0L);
      assertThat(store.compact(new SnapshotMeta(640, 1, ConfState.ofVoters(1L)), 600)).isTrue();
      assertThat(store.segmentFirsts()).containsExactly(501L, 601L);
      assertThat(store.entries(600, 651, Long.MAX_VALUE)).isEqualTo(entries(600, 650, 1));
    }
    assertThat(LegacyLayout.databaseNames(dir)).doesNotContain(LogSegments.LEGACY_NAME)
        .contains(LogSegments.nameOf(501), LogSegments.nameOf(601));
    try (JeLogStore store = JeLogStore.open(dir, SMALL, SPAN)) {
      assertThat(store.firstIndex()).isEqualTo(600);
      assertThat(store.term(599)).isEqualTo(1);
      assertThat(store.entries(600, 651, Long.MAX_VALUE)).isEqualTo(entries(600, 650, 1));
      store.save(null, List.of(entry(651, 1)), true);
      assertThat(store.storedEntryCount()).isEqualTo(52);
    }
  }
}
