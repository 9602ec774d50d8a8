package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InvariantTest {

  private static RaftNode follower() {
    MemoryStorage st = new MemoryStorage();
    RaftNode n = new RaftNode(RaftConfig.defaults(2), st, ConfState.ofVoters(1L, 2L, 3L), new SplittableRandom(1));
    Ready rd = n.ready();
    st.append(rd.entries());
    st.setHardState(rd.hardState());
    n.advance(rd);
    return n;
  }

  @Test
  void commitBeyondTheLogFailsHard() {
    RaftNode n = follower();
    Message hb = Message.builder(MessageType.HEARTBEAT, 1, 2, 1).commit(50).build();
    assertThatThrownBy(() -> n.step(hb)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("raft invariant violated: commit 50 beyond last index 3");
  }

  @Test
  void overwritingACommittedEntryFailsHard() {
    MemoryStorage st = new MemoryStorage();
    RaftLog log = new RaftLog(st, e -> { });
    log.append(List.of(Entry.normal(1, 1, new byte[0]), Entry.normal(1, 2, new byte[0]), Entry.normal(1, 3, new byte[0])));
    log.commitTo(3);
    assertThatThrownBy(() -> log.maybeAppend(1, 1, 3, List.of(Entry.normal(5, 2, new byte[0]))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("raft invariant violated: entry 2 conflicts with committed entry (commit 3)");
  }

  @Test
  void logLevelInvariants() {
    MemoryStorage st = new MemoryStorage();
    RaftLog log = new RaftLog(st, e -> { });
    log.append(List.of(Entry.normal(1, 1, new byte[0]), Entry.normal(1, 2, new byte[0])));
    assertThatThrownBy(() -> log.append(List.of(Entry.normal(1, 4, new byte[0]))))
        .hasMessageContaining("raft invariant violated: append at 4 leaves a gap");
    assertThatThrownBy(() -> log.append(List.of(Entry.normal(1, 3, new byte[0]), Entry.normal(1, 5, new byte[0]))))
        .hasMessageContaining("raft invariant violated: appended entries not contiguous");
    log.commitTo(2);
    assertThatThrownBy(() -> log.append(List.of(Entry.normal(2, 2, new byte[0]))))
        .hasMessageContaining("raft invariant violated: append after 1 would truncate committed 2");
    assertThatThrownBy(() -> log.appliedTo(3)).hasMessageContaining("raft invariant violated: applied 3 > commit 2");
    log.appliedTo(2);
    assertThatThrownBy(() -> log.appliedTo(1)).hasMessageContaining("raft invariant violated: applied index decreased");
  }

  @Test
  void voteCannotChangeWithinATermAndTermCannotDecrease() {
    RaftCore core = new RaftCore(RaftConfig.defaults(1), new MemoryStorage(), ConfState.ofVoters(1L, 2L, 3L),
        new SplittableRandom(1));
    core.setVote(2);
    assertThatThrownBy(() -> core.setVote(3)).hasMessageContaining("raft invariant violated: vote changed within term");
    core.becomeFollower(5, 0);
    assertThatThrownBy(() -> core.becomeFollower(4, 0))
        .hasMessageContaining("raft invariant violated: term decreased from 5 to 4");
  }

  @Test
  void progressNeverPlansToResendWhatTheFollowerHas() {
    Progress pr = new Progress(11, 4);
    pr.maybeUpdate(10);
    pr.becomeReplicate();
    assertThatThrownBy(() -> pr.sentEntries(10, false)).isInstanceOf(IllegalStateException.class)
        .hasMessage("raft invariant violated: sent up to 10 but next was 11");
    pr.match = 20; // corrupted: the follower "has" more than the leader planned to send next
    assertThatThrownBy(() -> pr.maybeUpdate(5)).isInstanceOf(IllegalStateException.class)
        .hasMessage("raft invariant violated: progress next 11 <= match 20");
  }

  @Test
  void membershipChangesMustComeInLogOrder() {
    Membership m = new Membership(ConfState.ofVoters(1L), 0);
    m.onAppend(List.of(confChange(5, 2)));
    assertThatThrownBy(() -> m.onAppend(List.of(confChange(6, 3), confChange(6, 4))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("raft invariant violated: conf change at 6 not after the one at 6");
    Membership compacted = new Membership(ConfState.ofVoters(1L), 10);
    assertThatThrownBy(() -> compacted.confAt(9)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only known from 10");
  }

  @Test
  void quorumArithmeticRefusesImpossibleInputs() {
    assertThatThrownBy(() -> Quorum.majorityValue(new long[2], 3)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Quorum.majority(-1)).isInstanceOf(IllegalStateException.class);
  }

  private static Entry confChange(long index, long node) {
    return new Entry(1, index, EntryType.CONF_CHANGE, new ConfChange(ConfChange.Type.ADD_VOTER, node, null).encode());
  }
}
