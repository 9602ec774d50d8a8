package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftLogTest {

  private static List<Entry> terms(long from, long... terms) {
    List<Entry> out = new ArrayList<>();
    for (long t : terms) out.add(Entry.normal(t, from++, new byte[0]));
    return out;
  }

  @Test
  void termAndSliceSpanStableAndUnstableParts() {
    MemoryStorage st = new MemoryStorage();
    st.append(terms(1, 1, 1, 2));
    RaftLog log = new RaftLog(st, e -> { });
    log.append(terms(4, 3, 3));
    assertThat(log.lastIndex()).isEqualTo(5);
    assertThat(log.persistedIndex()).isEqualTo(3);
    assertThat(log.term(2)).isEqualTo(1);
    assertThat(log.term(5)).isEqualTo(3);
    assertThat(log.termOrNegative(6)).isEqualTo(-1);
    assertThat(log.slice(2, 6, Long.MAX_VALUE)).extracting(Entry::index).containsExactly(2L, 3L, 4L, 5L);
    assertThat(log.slice(2, 6, 48)).extracting(Entry::index).containsExactly(2L, 3L); // 24 B each
    assertThat(log.unstable().nextEntries()).extracting(Entry::index).containsExactly(4L, 5L);
  }

  @Test
  void conflictingAppendTruncatesTheStablePartAndStableToIgnoresReplacedEntries() {
    MemoryStorage st = new MemoryStorage();
    st.append(terms(1, 1, 1, 1, 1));
    RaftLog log = new RaftLog(st, e -> { });
    assertThat(log.maybeAppend(2, 1, 0, terms(3, 2, 2))).isEqualTo(4);
    assertThat(log.term(3)).isEqualTo(2);
    assertThat(log.lastIndex()).isEqualTo(4);
    log.unstable().acceptInProgress();
    log.maybeAppend(3, 2, 0, terms(4, 5)); // replaces an in-progress entry
    assertThat(log.unstable().nextEntries()).extracting(Entry::index).containsExactly(4L);
    log.stableTo(4, 2); // the write of the replaced entry finished: must not mark the new one stable
    assertThat(log.unstable().offset()).isEqualTo(3);
    assertThat(log.maybeAppend(4, 9, 0, List.of())).isEqualTo(-1); // (index, term) mismatch
  }

  @Test
  void findConflictByTermSkipsWholeTerms() {
    MemoryStorage st = new MemoryStorage();
    st.append(terms(1, 1, 1, 3, 3, 3, 5, 5));
    RaftLog log = new RaftLog(st, e -> { });
    assertThat(log.findConflictByTerm(7, 4)).containsExactly(5, 3);
    assertThat(log.findConflictByTerm(7, 5)).containsExactly(7, 5);
    assertThat(log.findConflictByTerm(7, 2)).containsExactly(2, 1);
    assertThat(log.findConflictByTerm(7, 0)).containsExactly(0, 0);
    assertThat(log.findConflictByTerm(20, 5)).containsExactly(20, 0);
  }

  @Test
  void upToDateComparesLastTermThenLength() {
    MemoryStorage st = new MemoryStorage();
    st.append(terms(1, 1, 2, 2));
    RaftLog log = new RaftLog(st, e -> { });
    assertThat(log.isUpToDate(3, 2)).isTrue();
    assertThat(log.isUpToDate(2, 2)).isFalse();
    assertThat(log.isUpToDate(1, 3)).isTrue();
    assertThat(log.isUpToDate(10, 1)).isFalse();
  }

  @Test
  void restoreInstallsAPendingSnapshotAndFastForwardsWhenAlreadyMatching() {
    MemoryStorage st = new MemoryStorage();
    st.append(terms(1, 1, 1, 1));
    RaftLog log = new RaftLog(st, e -> { });
    assertThat(log.maybeRestore(new SnapshotMeta(2, 1, ConfState.EMPTY))).isFalse();
    assertThat(log.committed()).isEqualTo(2);
    SnapshotMeta s = new SnapshotMeta(10, 4, ConfState.ofVoters(1L));
    assertThat(log.maybeRestore(s)).isTrue();
    assertThat(log.firstIndex()).isEqualTo(11);
    assertThat(log.lastIndex()).isEqualTo(10);
    assertThat(log.term(10)).isEqualTo(4);
    assertThat(log.committed()).isEqualTo(10);
    assertThat(log.unstable().nextSnapshot()).isEqualTo(s);
    assertThat(log.nextCommittedEntries(100)).isEmpty();
  }
}
