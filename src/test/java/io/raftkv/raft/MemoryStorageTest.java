package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStorageTest {

  private static List<Entry> entries(long from, long to, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) out.add(Entry.normal(term, i, new byte[10]));
    return out;
  }

  @Test
  void emptyStorageHasSentinelAtZero() {
    MemoryStorage st = new MemoryStorage();
    assertThat(st.firstIndex()).isEqualTo(1);
    assertThat(st.lastIndex()).isZero();
    assertThat(st.term(0)).isZero();
    assertThat(st.entries(1, 1, 100)).isEmpty();
    assertThatThrownBy(() -> st.term(1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void appendTruncatesAConflictingSuffixAndRejectsGaps() {
    MemoryStorage st = new MemoryStorage();
    st.append(entries(1, 5, 1));
    st.append(entries(4, 6, 2));
    assertThat(st.lastIndex()).isEqualTo(6);
    assertThat(st.term(3)).isEqualTo(1);
    assertThat(st.term(4)).isEqualTo(2);
    assertThatThrownBy(() -> st.append(entries(8, 9, 2))).isInstanceOf(IllegalArgumentException.class);
    st.append(entries(2, 2, 3)); // replaces everything from 2 on
    assertThat(st.lastIndex()).isEqualTo(2);
  }

  @Test
  void entriesAreSizeLimitedButNeverEmpty() {
    MemoryStorage st = new MemoryStorage();
    st.append(entries(1, 10, 1)); // 34 bytes each
    assertThat(st.entries(1, 11, 0)).hasSize(1);
    assertThat(st.entries(1, 11, 68)).hasSize(2);
    assertThat(st.entries(3, 6, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(3L, 4L, 5L);
  }

  @Test
  void compactKeepsTermAndConfOfTheSnapshotPoint() {
    MemoryStorage st = new MemoryStorage();
    st.append(entries(1, 10, 1));
    st.append(entries(11, 12, 2));
    st.compact(11, ConfState.ofVoters(1L));
    assertThat(st.snapshot()).isEqualTo(new SnapshotMeta(11, 2, ConfState.ofVoters(1L)));
    assertThat(st.firstIndex()).isEqualTo(12);
    assertThat(st.term(11)).isEqualTo(2);
    assertThatThrownBy(() -> st.term(10)).isInstanceOf(CompactedException.class);
    assertThatThrownBy(() -> st.entries(11, 13, 100)).isInstanceOf(CompactedException.class);
    assertThat(st.entries(12, 13, 100)).extracting(Entry::index).containsExactly(12L);
    st.compact(5, ConfState.EMPTY); // older: ignored
    assertThat(st.firstIndex()).isEqualTo(12);
    st.append(entries(5, 13, 2)); // entries covered by the snapshot are skipped
    assertThat(st.lastIndex()).isEqualTo(13);
  }

  @Test
  void applySnapshotResetsTheLogAndCopyIsIndependent() {
    MemoryStorage st = new MemoryStorage();
    st.append(entries(1, 3, 1));
    MemoryStorage copy = st.copy();
    st.applySnapshot(new SnapshotMeta(20, 4, ConfState.ofVoters(1L, 2L)));
    assertThat(st.firstIndex()).isEqualTo(21);
    assertThat(st.lastIndex()).isEqualTo(20);
    assertThat(st.term(20)).isEqualTo(4);
    assertThat(copy.lastIndex()).isEqualTo(3);
    assertThat(copy.entries(1, 4, 1000)).hasSize(3);
    assertThatThrownBy(() -> st.applySnapshot(new SnapshotMeta(10, 1, ConfState.EMPTY)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
