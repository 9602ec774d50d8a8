package io.raftkv.storage;

import static io.raftkv.storage.LogFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import io.raftkv.raft.CompactedException;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store over segments of 10 indexes, so every operation crosses segment boundaries. */
class LogSegmentsTest {
  private static final StoreOptions SMALL = LogFixtures.SMALL;
  private static final int SPAN = 10;

  @TempDir Path dir;
  private JeLogStore store;

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  private JeLogStore reopen() throws Exception {
    if (store != null) store.close();
    store = JeLogStore.open(dir, SMALL, SPAN);
    return store;
  }

  /** Saves [from, to] in term {@code term} in batches of 7 (so batches straddle segment boundaries). */
  private void append(long from, long to, long term) {
    for (long i = from; i <= to; i += 7) store.save(null, entries(i, Math.min(to, i + 6), term), true);
  }

  private static List<Long> firsts(long from, long to) {
    return LongStream.iterate(from, i -> i <= to, i -> i + SPAN).boxed().toList();
  }

  @Test
  void entriesAndTermsReadAcrossSegments() throws Exception {
    reopen();
    append(1, 95, 1);
    store.save(null, entries(96, 99, 2), true);
    for (int round = 0; round < 2; round++) {
      JeLogStore s = round == 0 ? store : reopen();
      assertThat(s.segmentFirsts()).isEqualTo(firsts(1, 91));
      List<Entry> expected = new ArrayList<>(entries(1, 95, 1));
      expected.addAll(entries(96, 99, 2));
      assertThat(s.entries(1, 100, Long.MAX_VALUE)).isEqualTo(expected);
      assertThat(s.entries(9, 23, Long.MAX_VALUE)).isEqualTo(expected.subList(8, 22));
      assertThat(s.term(95)).isEqualTo(1);
      assertThat(s.term(96)).isEqualTo(2);
      assertThat(s.storedEntryCount()).isEqualTo(99);
    }
  }

  @Test
  void compactionRemovesOnlySegmentsEntirelyBelowTheFirstIndex() throws Exception {
    reopen();
    append(1, 95, 1);
    assertThat(store.compact(new SnapshotMeta(95, 1, ConfState.ofVoters(1L)), 47)).isTrue();
    for (int round = 0; round < 2; round++) {
      JeLogStore s = round == 0 ? store : reopen();
      assertThat(s.firstIndex()).isEqualTo(47);
      assertThat(s.segmentFirsts()).isEqualTo(firsts(41, 91));
      assertThat(s.storedEntryCount()).isEqualTo(49);
      assertThat(s.storedRecordCount()).as("41..46 stay in their segment, unreachable").isEqualTo(55);
      assertThatThrownBy(() -> s.entries(46, 48, 1000)).isInstanceOf(CompactedException.class);
      assertThat(s.entries(47, 96, Long.MAX_VALUE)).isEqualTo(entries(47, 95, 1));
      assertThat(s.term(46)).isEqualTo(1);
    }
  }

  @Test
  void conflictTruncationAcrossSegmentsKeepsTheEmptiedOnesForReuse() throws Exception {
    reopen();
    append(1, 35, 1);
    store.save(new HardState(2, 2, 0), entries(12, 14, 2), true);
    assertThat(store.lastIndex()).isEqualTo(14);
    reopen();
    assertThat(store.lastIndex()).isEqualTo(14);
    assertThat(store.segmentFirsts()).containsExactly(1L, 11L, 21L, 31L);
    append(15, 44, 2);
    reopen();
    List<Entry> expected = new ArrayList<>(entries(1, 11, 1));
    expected.addAll(entries(12, 44, 2));
    assertThat(store.entries(1, 45, Long.MAX_VALUE)).isEqualTo(expected);
    assertThat(store.segmentFirsts()).containsExactly(1L, 11L, 21L, 31L, 41L);
  }

  @Test
  void installSnapshotDropsEverySegmentAndTheNextAppendStartsANewOne() throws Exception {
    reopen();
    append(1, 35, 1);
    store.installSnapshot(new SnapshotMeta(100, 3, ConfState.ofVoters(1L)));
    assertThat(store.segmentFirsts()).as("the last segment stays: appends may go there").containsExactly(31L);
    assertThat(store.storedEntryCount()).isZero();
    store.save(new HardState(3, 1, 100), entries(101, 105, 3), true);
    assertThat(store.segmentFirsts()).as("no longer last, so removed").containsExactly(101L);
    reopen();
    assertThat(store.firstIndex()).isEqualTo(101);
    assertThat(store.entries(101, 106, Long.MAX_VALUE)).isEqualTo(entries(101, 105, 3));
  }

  @Test
  void installSnapshotInsideTheLogKeepsItsSegmentAndEmptiesLaterOnes() throws Exception {
    reopen();
    append(1, 35, 1);
    store.installSnapshot(new SnapshotMeta(25, 1, ConfState.ofVoters(1L)));
    assertThat(store.segmentFirsts()).containsExactly(21L, 31L);
    assertThat(store.storedRecordCount()).as("21..25 are leftovers, 26..35 deleted").isEqualTo(5);
    append(26, 33, 4);
    reopen();
    assertThat(store.firstIndex()).isEqualTo(26);
    assertThat(store.entries(26, 34, Long.MAX_VALUE)).isEqualTo(entries(26, 33, 4));
  }

  @Test
  void recordOutsideItsSegmentIsCorruption() throws Exception {
    reopen();
    append(1, 30, 1);
    store.close();
    store = null;
    Environment env = new Environment(dir.resolve("je").toFile(), new EnvironmentConfig().setTransactional(true));
    try (Database db = env.openDatabase(null, LogSegments.nameOf(1), new DatabaseConfig().setTransactional(true))) {
      Entry stray = LogFixtures.entry(15, 1);
      db.put(null, new DatabaseEntry(EntryCodec.key(15)), new DatabaseEntry(EntryCodec.encode(stray)));
    } finally {
      env.close();
    }
    assertThatThrownBy(() -> JeLogStore.open(dir, SMALL, SPAN))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("log index 15")
        .hasMessageContaining(LogSegments.nameOf(1));
  }

  @Test
  void missingSegmentInTheMiddleIsAGap() throws Exception {
    reopen();
    append(1, 30, 1);
    store.close();
    store = null;
    Environment env = new Environment(dir.resolve("je").toFile(), new EnvironmentConfig().setTransactional(true));
    try {
      env.removeDatabase(null, LogSegments.nameOf(11));
    } finally {
      env.close();
    }
    assertThatThrownBy(() -> JeLogStore.open(dir, SMALL, SPAN))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("log index 11")
        .hasMessageContaining("missing");
  }
}
