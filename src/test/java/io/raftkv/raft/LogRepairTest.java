package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogRepairTest {

  private static RaftConfig plain(long id) {
    return RaftConfig.defaults(id).withMaxUncommittedBytes(0).withMaxCommittedBytesPerReady(1 << 20)
        .withPreVote(false).withCheckQuorum(false).withLeaseDriftTicks(0);
  }

  @Test
  void deposedLeadersUncommittedEntriesAreReplacedByTheNewLeadersLog() {
    RaftTestCluster c = RaftTestCluster.of(3, LogRepairTest::plain);
    c.node(1).campaign();
    c.stabilize();
    assertThat(c.leader()).isEqualTo(1);
    c.isolate(1);
    for (int i = 0; i < 5; i++) c.node(1).propose(("old" + i).getBytes());
    c.stabilize();
    assertThat(c.storages.get(1L).lastIndex()).isEqualTo(9);
    c.node(2).campaign();
    c.stabilize();
    assertThat(c.node(2).status().role()).isEqualTo(Role.LEADER);
    c.propose(2, "new0");
    c.propose(2, "new1");
    c.heal();
    c.tickAll(3);
    for (long id = 1; id <= 3; id++) {
      assertThat(c.appliedData(id)).containsExactly("new0", "new1");
      MemoryStorage st = c.storages.get(id);
      assertThat(st.entries(1, st.lastIndex() + 1, Long.MAX_VALUE))
          .isEqualTo(c.storages.get(2L).entries(1, 8, Long.MAX_VALUE));
    }
  }

  @Test
  void fastBackOffSkipsAWholeConflictingTermPerRoundTrip() {
    RaftTestCluster c = RaftTestCluster.of(3, LogRepairTest::plain);
    c.node(1).campaign();
    c.stabilize();
    c.isolate(1);
    for (int i = 0; i < 100; i++) c.node(1).propose(new byte[] {(byte) i});
    c.stabilize();
    c.node(2).campaign();
    c.stabilize();
    c.propose(2, "x");
    c.heal();
    c.sent.clear();
    c.tickAll(2);
    List<Message> rejects = c.sent.stream()
        .filter(m -> m.type() == MessageType.APPEND_RESPONSE && m.from() == 1 && m.reject()).toList();
    assertThat(rejects).hasSizeLessThanOrEqualTo(2); // not one per conflicting entry
    assertThat(c.appliedData(1)).containsExactly("x");
  }

  /** Node 1 leads term 4 with index 5 (term 2) uncommitted and its own no-op (term 4) at 6. */
  private static RaftTestCluster priorTermEntryUncommitted(Set<Deviation> deviations) {
    RaftTestCluster c = RaftTestCluster.of(3, LogRepairTest::plain, deviations);
    c.node(1).campaign();
    c.stabilize(); // leader 1, term 2, commit 4
    c.isolate(1);
    c.node(1).propose("a".getBytes());
    c.stabilize();
    c.node(1).step(Message.builder(MessageType.HEARTBEAT_RESPONSE, 2, 1, 3).build()); // deposed
    c.heal();
    c.dropIf(m -> m.type() == MessageType.APPEND);
    c.node(1).campaign();
    c.stabilize();
    assertThat(c.node(1).status().role()).isEqualTo(Role.LEADER);
    assertThat(c.node(1).status().term()).isEqualTo(4);
    assertThat(c.node(1).status().commitIndex()).isEqualTo(4);
    return c;
  }

  @Test
  void entryFromAnOlderTermIsNotCommittedByCountingReplicas() {
    RaftTestCluster c = priorTermEntryUncommitted(Set.of());
    RaftNode n = c.node(1);
    n.step(Message.builder(MessageType.APPEND_RESPONSE, 2, 1, 4).index(5).build());
    assertThat(n.status().progress().get(2L).match()).isEqualTo(5);
    assertThat(n.status().commitIndex()).isEqualTo(4); // a majority stores 5, but it is from term 2
    n.step(Message.builder(MessageType.APPEND_RESPONSE, 2, 1, 4).index(6).build());
    assertThat(n.status().commitIndex()).isEqualTo(6); // the term-4 entry commits both
  }

  @Test
  void deviationCommitsPriorTermEntriesByCounting() {
    RaftTestCluster c = priorTermEntryUncommitted(Set.of(Deviation.COMMIT_PRIOR_TERM_BY_COUNTING));
    RaftNode n = c.node(1);
    n.step(Message.builder(MessageType.APPEND_RESPONSE, 2, 1, 4).index(5).build());
    assertThat(n.status().commitIndex()).isEqualTo(5);
  }
}
