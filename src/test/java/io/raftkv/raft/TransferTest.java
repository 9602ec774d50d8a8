package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.raftkv.raft.ProposalRejectedException.Reason;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransferTest {

  @Test
  void transferToCaughtUpFollowerMakesItLeader() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long target = leader == 3 ? 1 : 3;
    c.propose(leader, "a");
    c.node(leader).transferLeadership(target);
    c.stabilize();
    assertThat(c.leader()).isEqualTo(target);
    assertThat(c.node(leader).status().role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.sent).anyMatch(m -> m.type() == MessageType.TIMEOUT_NOW && m.to() == target);
    c.propose(target, "b");
    assertThat(c.appliedData(leader)).containsExactly("a", "b");
  }

  @Test
  void laggingTransfereeIsCaughtUpFirstAndProposalsAreRefusedMeanwhile() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long target = leader == 3 ? 1 : 3;
    c.isolate(target);
    c.propose(leader, "a");
    c.heal();
    RaftNode n = c.node(leader);
    n.transferLeadership(target);
    ProposalRejectedException e = catchThrowableOfType(ProposalRejectedException.class, () -> n.propose(new byte[] {1}));
    assertThat(e.reason()).isEqualTo(Reason.TRANSFER_IN_PROGRESS);
    assertThat(n.status().leadTransferee()).isEqualTo(target);
    c.stabilize();
    assertThat(c.leader()).isEqualTo(target);
    assertThat(c.appliedData(target)).containsExactly("a");
  }

  @Test
  void transferIsAbortedAfterAnElectionTimeout() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long target = leader == 3 ? 1 : 3;
    c.isolate(target);
    c.propose(leader, "a");
    RaftNode n = c.node(leader);
    n.transferLeadership(target);
    for (int i = 0; i < 10; i++) c.tick(leader, 1);
    assertThat(n.status().leadTransferee()).isZero();
    assertThat(n.status().role()).isEqualTo(Role.LEADER);
    n.propose(new byte[] {1}); // accepted again
  }

  @Test
  void invalidTransfersAreRejected() {
    RaftTestCluster c = new RaftTestCluster(RaftTestCluster::config);
    ConfState conf = new ConfState(Set.of(1L, 2L), Set.of(3L));
    for (long id = 1; id <= 3; id++) c.start(id, conf);
    c.node(1).campaign();
    c.stabilize();
    RaftNode n = c.node(1);
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.transferLeadership(1)).reason())
        .isEqualTo(Reason.INVALID);
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.transferLeadership(3)).reason())
        .isEqualTo(Reason.INVALID);
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.transferLeadership(9)).reason())
        .isEqualTo(Reason.INVALID);
    ProposalRejectedException e = catchThrowableOfType(ProposalRejectedException.class, () -> c.node(2).transferLeadership(1));
    assertThat(e.reason()).isEqualTo(Reason.NOT_LEADER);
    assertThat(e.leaderHint()).isEqualTo(1);
  }
}
