package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.raftkv.raft.ConfChange.Type;
import io.raftkv.raft.ProposalRejectedException.Reason;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

  private static ConfChange change(Type t, long id) {
    return new ConfChange(t, id, null);
  }

  @Test
  void learnerCatchesUpWithoutVotingThenIsPromoted() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    for (int i = 0; i < 5; i++) c.propose(leader, "v" + i);
    c.start(4, ConfState.EMPTY); // joins with an empty log: learns membership from the leader
    c.node(leader).proposeConfChange(change(Type.ADD_LEARNER, 4));
    c.stabilize();
    c.tickAll(2);
    RaftNode learner = c.node(4);
    assertThat(c.appliedData(4)).containsExactly("v0", "v1", "v2", "v3", "v4");
    assertThat(learner.status().role()).isEqualTo(Role.LEARNER);
    assertThat(learner.status().conf()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));
    // A learner's acknowledgement does not count: with two voters down nothing commits.
    long other1 = leader == 1 ? 2 : 1;
    long other2 = 6 - leader - other1;
    c.isolate(other1);
    c.isolate(other2);
    long before = c.node(leader).status().commitIndex();
    c.node(leader).propose("w".getBytes());
    c.stabilize();
    assertThat(c.node(leader).status().commitIndex()).isEqualTo(before);
    c.heal();
    c.tickAll(2);
    c.node(leader).proposeConfChange(change(Type.ADD_VOTER, 4));
    c.stabilize();
    assertThat(learner.status().role()).isEqualTo(Role.FOLLOWER);
    for (long id = 1; id <= 4; id++) {
      assertThat(c.node(id).status().conf()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L, 4L), Set.of()));
    }
    assertThat(c.node(leader).status().progress()).containsKey(4L);
  }

  @Test
  void changeIsEffectiveWhenAppendedAndReportedInReady() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    RaftNode n = c.node(leader);
    n.proposeConfChange(change(Type.ADD_VOTER, 4));
    Ready rd = n.ready();
    assertThat(rd.confState()).isEqualTo(new ConfState(Set.of(1L, 2L, 3L, 4L), Set.of()));
    assertThat(n.status().commitIndex()).isLessThan(rd.entries().get(0).index()); // not yet committed
    n.advance(rd);
  }

  @Test
  void onlyOneUncommittedChangeAndOnlyAfterCommittingInTerm() {
    RaftTestCluster c = RaftTestCluster.of(3);
    c.dropIf(m -> m.type() == MessageType.APPEND);
    c.node(1).campaign();
    c.stabilize();
    RaftNode n = c.node(1);
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.proposeConfChange(change(Type.ADD_LEARNER, 4))).reason()).isEqualTo(Reason.CONF_CHANGE_PENDING);
    c.heal();
    c.tickAll(1);
    n.proposeConfChange(change(Type.ADD_LEARNER, 4));
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.proposeConfChange(change(Type.ADD_LEARNER, 5))).reason()).isEqualTo(Reason.CONF_CHANGE_PENDING);
    c.stabilize();
    n.proposeConfChange(change(Type.ADD_LEARNER, 5)); // first one committed: accepted now
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> c.node(2).proposeConfChange(change(Type.ADD_LEARNER, 6))).reason()).isEqualTo(Reason.NOT_LEADER);
  }

  @Test
  void invalidChangesAreRejected() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    RaftNode n = c.node(leader);
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.proposeConfChange(change(Type.ADD_VOTER, 2))).reason()).isEqualTo(Reason.INVALID);
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> n.proposeConfChange(change(Type.REMOVE_NODE, 7))).reason()).isEqualTo(Reason.INVALID);
    RaftTestCluster single = RaftTestCluster.of(1);
    single.electLeader();
    assertThat(catchThrowableOfType(ProposalRejectedException.class, () -> single.node(1).proposeConfChange(change(Type.REMOVE_NODE, 1))).reason()).isEqualTo(Reason.INVALID);
  }

  @Test
  void removedFollowerStopsCampaigning() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long removed = leader == 3 ? 2 : 3;
    c.node(leader).proposeConfChange(change(Type.REMOVE_NODE, removed));
    c.stabilize();
    c.tickAll(2);
    RaftNode r = c.node(removed);
    assertThat(r.status().conf().isMember(removed)).isFalse();
    long term = r.status().term();
    c.isolate(leader);
    for (int i = 0; i < 100; i++) r.tick();
    assertThat(r.status().term()).isEqualTo(term);
    assertThat(r.status().role()).isEqualTo(Role.FOLLOWER);
    // The two remaining voters still make progress
    c.heal();
    c.propose(leader, "after");
    assertThat(c.appliedData(leader)).containsExactly("after");
  }

  @Test
  void leaderRemovingItselfStepsDownOnceTheChangeCommits() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    RaftNode n = c.node(leader);
    long idx = n.proposeConfChange(change(Type.REMOVE_NODE, leader));
    assertThat(n.status().role()).isEqualTo(Role.LEADER); // still leads while the change is uncommitted
    c.stabilize();
    assertThat(n.status().role()).isEqualTo(Role.FOLLOWER);
    long newLeader = c.electLeader();
    assertThat(newLeader).isNotEqualTo(leader);
    c.propose(newLeader, "x");
    for (long id = 1; id <= 3; id++) {
      if (id == leader) continue;
      assertThat(c.node(id).status().commitIndex()).isGreaterThan(idx);
      assertThat(c.appliedData(id)).containsExactly("x");
      assertThat(c.node(id).status().conf().voters()).doesNotContain(leader).hasSize(2);
    }
  }

  @Test
  void truncatedConfChangeIsUndone() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(1 << 20).withPreVote(false).withCheckQuorum(false)
        .withLeaseDriftTicks(0));
    c.node(1).campaign();
    c.stabilize();
    c.isolate(1);
    c.node(1).proposeConfChange(change(Type.ADD_LEARNER, 4));
    c.stabilize();
    assertThat(c.node(1).status().conf().learners()).containsExactly(4L);
    c.node(2).campaign();
    c.stabilize();
    c.propose(2, "x");
    c.heal();
    c.tickAll(2);
    assertThat(c.node(1).status().conf()).isEqualTo(ConfState.ofVoters(1L, 2L, 3L));
    assertThat(c.lastReady.get(1L)).isNotNull();
    assertThat(c.appliedData(1)).containsExactly("x");
  }

  @Test
  void nodeHoldingItsOwnUncommittedRemovalCanStillLeadSoTheChangeCommits() {
    RaftTestCluster c = RaftTestCluster.of(2);
    c.node(2).campaign();
    c.stabilize();
    assertThat(c.leader()).isEqualTo(2);
    c.isolate(1);
    long removal = c.node(2).proposeConfChange(change(Type.REMOVE_NODE, 2)); // only node 2 has it
    c.stabilize();
    for (int i = 0; i < 25; i++) c.tick(2, 1); // CheckQuorum: node 2 steps down
    assertThat(c.node(2).status().role()).isEqualTo(Role.FOLLOWER);
    c.heal();
    // Node 1 (config {1,2}) cannot win: node 2's log is longer. Node 2 (config {1}) must campaign.
    for (int i = 0; i < 300 && c.node(1).status().role() != Role.LEADER; i++) c.tickAll(1);
    assertThat(c.node(1).status().role()).isEqualTo(Role.LEADER);
    assertThat(c.node(1).status().conf()).isEqualTo(ConfState.ofVoters(1L));
    assertThat(c.node(1).status().commitIndex()).isGreaterThan(removal);
    c.propose(1, "alone");
    assertThat(c.appliedData(1)).containsExactly("alone");
  }
}
