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
}
