package io.raftkv.storage;

import static io.raftkv.storage.LogFixtures.entries;
import static io.raftkv.storage.LogFixtures.entry;
import static io.raftkv.storage.LogFixtures.sized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.CompactedException;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JeLogStoreTest {
  private static final StoreOptions SMALL = LogFixtures.SMALL;

  @TempDir Path dir;
  private JeLogStore store;

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  private JeLogStore reopen() throws Exception {
    return reopen(SMALL);
  }

  private JeLogStore reopen(StoreOptions options) throws Exception {
    if (store != null) store.close();
    store = JeLogStore.open(dir, options);
    return store;
  }

  @Test
  void newStoreIsEmpty() throws Exception {
    reopen();
    assertThat(store.firstIndex()).isEqualTo(1);
    assertThat(store.lastIndex()).isZero();
    assertThat(store.term(0)).isZero();
    assertThat(store.hardState()).isEqualTo(HardState.EMPTY);
    assertThat(store.snapshot()).isEqualTo(SnapshotMeta.EMPTY);
    assertThat(store.entries(1, 1, 100)).isEmpty();
    assertThat(store.directory()).isEqualTo(dir.resolve("je"));
  }

  @Test
  void savedEntriesAndHardStateSurviveReopen() throws Exception {
    reopen();
    Entry conf = new Entry(2, 4, EntryType.CONF_CHANGE, new byte[] {1, 2, 3});
    store.save(new HardState(1, 3, 0), entries(1, 3, 1), true);
    store.save(new HardState(2, 3, 3), List.of(conf), false);
    reopen();
    assertThat(store.hardState()).isEqualTo(new HardState(2, 3, 3));
    assertThat(store.lastIndex()).isEqualTo(4);
    assertThat(store.entries(1, 5, Long.MAX_VALUE)).containsExactly(entry(1, 1), entry(2, 1), entry(3, 1), conf);
    assertThat(store.term(3)).isEqualTo(1);
    assertThat(store.term(4)).isEqualTo(2);
  }

  @Test
  void conflictingSuffixIsReplaced() throws Exception {
    reopen();
    store.save(null, entries(1, 10, 1), true);
    store.save(null, entries(6, 7, 2), true);
    assertThat(store.lastIndex()).isEqualTo(7);
    assertThat(store.term(5)).isEqualTo(1);
    assertThat(store.term(6)).isEqualTo(2);
    assertThatThrownBy(() -> store.term(8)).isInstanceOf(IllegalArgumentException.class);
    reopen();
    assertThat(store.lastIndex()).isEqualTo(7);
    assertThat(store.storedEntryCount()).isEqualTo(7);
    assertThat(store.entries(5, 8, Long.MAX_VALUE)).containsExactly(entry(5, 1), entry(6, 2), entry(7, 2));
  }

  @Test
  void rejectsGapsAndNonContiguousBatches() throws Exception {
    reopen();
    store.save(null, entries(1, 3, 1), true);
    assertThatThrownBy(() -> store.save(null, List.of(entry(5, 1)), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap");
    assertThatThrownBy(() -> store.save(null, List.of(entry(4, 1), entry(6, 1)), true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contiguous");
    assertThat(store.lastIndex()).isEqualTo(3);
  }

  @Test
  void entriesRespectByteBudgetButReturnAtLeastOne() throws Exception {
    reopen();
    List<Entry> batch = new ArrayList<>();
    for (long i = 1; i <= 10; i++) batch.add(sized(i, 1, 100));
    store.save(null, batch, true);
    long each = batch.get(0).sizeBytes();
    assertThat(store.entries(1, 11, 1)).hasSize(1);
    assertThat(store.entries(1, 11, each * 3)).hasSize(3);
    assertThat(store.entries(1, 11, each * 3 + each - 1)).hasSize(3);
    assertThat(store.entries(4, 11, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThatThrownBy(() -> store.entries(1, 12, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsFromJeMatchCachedReads() throws Exception {
    reopen(SMALL.withEntryCacheBytes(5 * sized(1, 1, 100).sizeBytes()));
    List<Entry> batch = new ArrayList<>();
    for (long i = 1; i <= 50; i++) batch.add(sized(i, 1 + i / 20, 100));
    store.save(null, batch, true);
    assertThat(store.cachedBytes()).isLessThanOrEqualTo(5 * batch.get(0).sizeBytes());
    assertThat(store.entries(1, 51, Long.MAX_VALUE)).isEqualTo(batch);
    assertThat(store.entries(40, 51, 3 * batch.get(0).sizeBytes())).isEqualTo(batch.subList(39, 42));
    for (long i = 1; i <= 50; i++) assertThat(store.term(i)).isEqualTo(1 + i / 20);
  }

  @Test
  void compactionKeepsRetainedTailAndRemembersBoundaryTerm() throws Exception {
    reopen();
    store.save(new HardState(3, 1, 100), entries(1, 50, 2), true);
    store.save(null, entries(51, 100, 3), true);
    ConfState conf = ConfState.ofVoters(1L, 2L, 3L);
    SnapshotMeta meta = new SnapshotMeta(90, 3, conf);
    store.compact(meta, 61);
    for (int round = 0; round < 2; round++) {
      JeLogStore s = round == 0 ? store : reopen();
      assertThat(s.snapshot()).isEqualTo(meta);
      assertThat(s.firstIndex()).isEqualTo(61);
      assertThat(s.lastIndex()).isEqualTo(100);
      assertThat(s.term(60)).isEqualTo(3);
      assertThat(s.term(90)).isEqualTo(3);
      assertThatThrownBy(() -> s.term(59)).isInstanceOf(CompactedException.class);
      assertThatThrownBy(() -> s.entries(60, 70, 1000)).isInstanceOf(CompactedException.class);
      assertThat(s.entries(61, 62, 1000)).containsExactly(entry(61, 3));
      assertThat(s.storedEntryCount()).isEqualTo(40);
    }
  }

  @Test
  void compactionRejectsInconsistentMeta() throws Exception {
    reopen();
    store.save(null, entries(1, 10, 1), true);
    assertThatThrownBy(() -> store.compact(new SnapshotMeta(11, 1, ConfState.EMPTY), 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.compact(new SnapshotMeta(8, 2, ConfState.EMPTY), 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("term");
    assertThatThrownBy(() -> store.compact(new SnapshotMeta(8, 1, ConfState.EMPTY), 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retainFrom");
    assertThat(store.firstIndex()).isEqualTo(1);
  }

  @Test
  void compactionOlderThanTheInstalledSnapshotIsIgnored() throws Exception {
    reopen();
    store.save(null, entries(1, 10, 1), true);
    SnapshotMeta installed = new SnapshotMeta(20, 2, ConfState.ofVoters(1L));
    store.installSnapshot(installed);
    assertThat(store.compact(new SnapshotMeta(8, 1, ConfState.ofVoters(1L)), 5)).isFalse();
    assertThat(store.snapshot()).isEqualTo(installed);
    assertThat(store.firstIndex()).isEqualTo(21);
  }

  @Test
  void installSnapshotDropsWholeLogAndRaisesCommit() throws Exception {
    reopen();
    store.save(new HardState(2, 2, 5), entries(1, 30, 2), true);
    SnapshotMeta meta = new SnapshotMeta(20, 4, ConfState.ofVoters(1L, 2L));
    store.installSnapshot(meta);
    for (int round = 0; round < 2; round++) {
      JeLogStore s = round == 0 ? store : reopen();
      assertThat(s.firstIndex()).isEqualTo(21);
      assertThat(s.lastIndex()).isEqualTo(20);
      assertThat(s.term(20)).isEqualTo(4);
      assertThat(s.hardState()).isEqualTo(new HardState(2, 2, 20));
      assertThat(s.storedEntryCount()).isZero();
      assertThatThrownBy(() -> s.term(19)).isInstanceOf(CompactedException.class);
    }
    store.save(new HardState(4, 0, 20), entries(21, 22, 4), true);
    assertThat(reopen().entries(21, 23, 1000)).containsExactly(entry(21, 4), entry(22, 4));
  }

  @Test
  void abortedBatchLeavesNoPartialEntries() throws Exception {
    reopen();
    store.save(new HardState(1, 1, 0), entries(1, 5, 1), true);
    store.setWriteHook(index -> {
      if (index == 8) throw new IllegalStateException("injected failure while writing " + index);
    });
    assertThatThrownBy(() -> store.save(new HardState(2, 2, 0), entries(4, 10, 2), true))
        .hasMessageContaining("injected failure");
    assertThat(store.lastIndex()).isEqualTo(5);
    assertThat(store.term(4)).isEqualTo(1);
    assertThat(store.hardState()).isEqualTo(new HardState(1, 1, 0));
    reopen();
    assertThat(store.lastIndex()).isEqualTo(5);
    assertThat(store.hardState()).isEqualTo(new HardState(1, 1, 0));
    assertThat(store.entries(1, 6, Long.MAX_VALUE)).isEqualTo(entries(1, 5, 1));
  }

  @Test
  void membersSurviveReopen() throws Exception {
    reopen();
    assertThat(store.members()).isEmpty();
    store.saveMembers(Map.of(1L, "a:1", 2L, "b:2"));
    assertThat(reopen().members()).isEqualTo(Map.of(1L, "a:1", 2L, "b:2"));
  }

  @Test
  void closedStoreRefusesWrites() throws Exception {
    reopen();
    store.close();
    assertThatThrownBy(() -> store.save(null, entries(1, 1, 1), true)).isInstanceOf(IllegalStateException.class);
    store = null;
  }
}
