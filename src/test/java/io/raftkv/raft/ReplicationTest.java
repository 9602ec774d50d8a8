package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationTest {

  @Test
  void proposalsCommitAndApplyInOrderOnAllNodes() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    for (int i = 0; i < 20; i++) c.propose(leader, "v" + i);
    for (long id = 1; id <= 3; id++) {
      assertThat(c.appliedData(id)).hasSize(20).startsWith("v0", "v1").endsWith("v19");
      assertThat(c.node(id).status().commitIndex()).isEqualTo(24);
    }
  }

  @Test
  void followerRejectsProposalWithLeaderHint() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long follower = leader == 1 ? 2 : 1;
    ProposalRejectedException e = org.assertj.core.api.Assertions.catchThrowableOfType(ProposalRejectedException.class, () -> c.node(follower).propose(new byte[] {1}));
    assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.NOT_LEADER);
    assertThat(e.leaderHint()).isEqualTo(leader);
  }

  @Test
  void leaderMaySendAppendsBeforeItsOwnFsync() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    RaftNode n = c.node(leader);
    n.propose(new byte[] {7});
    Ready rd = n.ready();
    assertThat(rd.fromLeader()).isTrue();
    assertThat(rd.entries()).hasSize(1);
    assertThat(rd.messages()).isNotEmpty().allMatch(m -> m.type() == MessageType.APPEND && rd.maySendBeforePersist(m));
    // Until the leader persisted (advance), its own entry does not count toward the quorum.
    assertThat(n.status().progress().get(leader).match()).isEqualTo(rd.entries().get(0).index() - 1);
  }

  @Test
  void laggingFollowerCatchesUpInBatchesBoundedByMaxSizePerMsg() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxSizePerMsg(1000)
        .withMaxInflightMsgs(4).withMaxUncommittedBytes(0).withMaxCommittedBytesPerReady(1 << 20));
    long leader = c.electLeader();
    long lagging = leader == 3 ? 2 : 3;
    c.isolate(lagging);
    for (int i = 0; i < 50; i++) n(c, leader).propose(new byte[100]);
    c.stabilize();
    assertThat(c.appliedIndex.get(lagging)).isEqualTo(4);
    c.heal();
    c.sent.clear();
    c.tickAll(3);
    assertThat(c.appliedIndex.get(lagging)).isEqualTo(c.appliedIndex.get(leader)).isEqualTo(54);
    List<Message> appends = c.sent.stream()
        .filter(m -> m.type() == MessageType.APPEND && m.to() == lagging && !m.entries().isEmpty()).toList();
    assertThat(appends.size()).isGreaterThanOrEqualTo(6); // 50 x 124 B in messages of at most 1000 B
    assertThat(appends).allMatch(m -> m.entryBytes() <= 1000);
  }

  private static RaftNode n(RaftTestCluster c, long id) {
    return c.node(id);
  }
}
