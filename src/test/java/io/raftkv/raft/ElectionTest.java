package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ElectionTest {

  @Test
  void threeNodesElectExactlyOneLeaderWhoAppendsANoop() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    Status s = c.node(leader).status();
    assertThat(s.term()).isEqualTo(2); // bootstrap term 1, first election term 2
    int leaders = 0;
    for (RaftNode n : c.nodes.values()) {
      if (n.status().role() == Role.LEADER) leaders++;
      assertThat(n.status().leader()).isEqualTo(leader);
      assertThat(n.status().term()).isEqualTo(2);
    }
    assertThat(leaders).isEqualTo(1);
    // bootstrap conf entries 1..3, then the leader's empty no-op at 4, committed everywhere
    for (long id = 1; id <= 3; id++) {
      assertThat(c.appliedIndex.get(id)).isEqualTo(4);
      Entry noop = c.applied.get(id).get(3);
      assertThat(noop.isEmptyNormal()).isTrue();
      assertThat(noop.term()).isEqualTo(2);
    }
  }

  @Test
  void singleNodeElectsItselfOnFirstTimeout() {
    RaftTestCluster c = RaftTestCluster.of(1);
    RaftNode n = c.node(1);
    int ticks = 0;
    while (n.status().role() != Role.LEADER && ticks < 20) {
      c.tick(1, 1);
      ticks++;
    }
    assertThat(n.status().role()).isEqualTo(Role.LEADER);
    assertThat(ticks).isBetween(10, 19); // randomized timeout in [10, 20)
    assertThat(n.status().commitIndex()).isEqualTo(2);
  }

  @Test
  void randomizedTimeoutStaysInRange() {
    for (int seed = 0; seed < 30; seed++) {
      MemoryStorage st = new MemoryStorage();
      RaftNode n = new RaftNode(RaftConfig.defaults(1), st, ConfState.ofVoters(1L),
          new java.util.SplittableRandom(seed));
      int ticks = 0;
      while (n.status().role() != Role.LEADER) {
        n.tick();
        ticks++;
      }
      assertThat(ticks).isBetween(10, 19);
    }
  }

  /**
   * Raft §5.2: only a leader's message or a granted vote restarts the election timer. A candidate whose
   * log is behind cannot win; its vote requests raise the term but must not keep the up-to-date node
   * from campaigning (sim seed 40002693: without PreVote, 13 such rounds left a 2-voter cluster
   * leaderless for 347 steps). Here the stale candidate asks every 5 ticks, more often than any
   * election timeout (10-19 ticks): with the timer restarted on each request the node never campaigns.
   */
  @Test
  void aCandidateThatCannotWinDoesNotHoldBackTheTimerOfANodeThatCan() {
    RaftConfig config = RaftConfig.defaults(1).withPreVote(false).withCheckQuorum(false);
    RaftNode n = new RaftNode(config, new MemoryStorage(), ConfState.ofVoters(1L, 2L), new java.util.SplittableRandom(7));
    long term = n.status().term();
    int ticks = 0;
    while (n.status().role() == Role.FOLLOWER && ticks < 4 * config.electionTicks()) {
      if (ticks % 5 == 4) {
        // node 2's log is empty: older than node 1's bootstrap entries, so the vote is refused
        n.step(Message.builder(MessageType.VOTE, 2, 1, ++term).index(0).logTerm(0).build());
        assertThat(n.status().term()).as("the candidate's term is adopted").isEqualTo(term);
        assertThat(n.status().role()).isEqualTo(Role.FOLLOWER);
      }
      n.tick();
      ticks++;
    }
    assertThat(n.status().role()).as("campaigned despite the stale candidate").isEqualTo(Role.CANDIDATE);
    assertThat(ticks).isLessThan(2 * config.electionTicks());
  }

  @Test
  void splitVoteResolvesInALaterTerm() {
    RaftTestCluster c = RaftTestCluster.of(4, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(1 << 20).withPreVote(false).withCheckQuorum(false)
        .withLeaseDriftTicks(0));
    // 1 and 2 campaign at once; 3 only hears 1 and 4 only hears 2: two votes each, quorum is 3.
    c.cutLink(1, 4);
    c.cutLink(2, 3);
    c.node(1).campaign();
    c.node(2).campaign();
    c.stabilize();
    assertThat(c.node(1).status().role()).isEqualTo(Role.CANDIDATE);
    assertThat(c.node(2).status().role()).isEqualTo(Role.CANDIDATE);
    assertThat(c.leader()).isZero();
    c.heal();
    long leader = c.electLeader();
    assertThat(c.node(leader).status().term()).isGreaterThanOrEqualTo(3);
    for (RaftNode n : c.nodes.values()) assertThat(n.status().leader()).isEqualTo(leader);
  }

  @Test
  void preVoteKeepsARejoiningPartitionedNodeFromRaisingTheTerm() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long term = c.node(leader).status().term();
    long loner = leader == 3 ? 2 : 3;
    c.isolate(loner);
    c.tickAll(100); // the loner times out repeatedly but never wins a pre-vote
    assertThat(c.node(loner).status().term()).isEqualTo(term);
    assertThat(c.node(loner).status().role()).isEqualTo(Role.PRE_CANDIDATE);
    c.heal();
    c.tickAll(5);
    assertThat(c.leader()).isEqualTo(leader);
    assertThat(c.node(leader).status().term()).isEqualTo(term);
    assertThat(c.node(loner).status().role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.node(loner).status().leader()).isEqualTo(leader);
  }

  @Test
  void withoutPreVoteARejoiningNodeDisruptsTheLeader() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(1 << 20).withPreVote(false).withCheckQuorum(false)
        .withLeaseDriftTicks(0));
    long leader = c.electLeader();
    long term = c.node(leader).status().term();
    long loner = leader == 3 ? 2 : 3;
    c.isolate(loner);
    c.tickAll(100);
    assertThat(c.node(loner).status().term()).isGreaterThan(term + 3);
    c.heal();
    c.tickAll(40);
    assertThat(c.node(c.leader()).status().term()).isGreaterThan(term + 3);
  }

  @Test
  void checkQuorumLeaderStepsDownWhenCutOffFromMajority() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.isolate(leader);
    // One check clears the activity flags, the next (at most 2 election timeouts later) finds none.
    for (int i = 0; i < 10; i++) c.node(leader).tick();
    assertThat(c.node(leader).status().role()).isEqualTo(Role.LEADER);
    for (int i = 0; i < 10; i++) c.node(leader).tick();
    c.stabilize();
    assertThat(c.node(leader).status().role()).isEqualTo(Role.FOLLOWER);
    assertThat(c.node(leader).status().leader()).isZero();
  }

  @Test
  void withoutCheckQuorumACutOffLeaderKeepsLeading() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(1 << 20).withCheckQuorum(false).withLeaseDriftTicks(0));
    long leader = c.electLeader();
    c.isolate(leader);
    for (int i = 0; i < 50; i++) c.node(leader).tick();
    assertThat(c.node(leader).status().role()).isEqualTo(Role.LEADER);
  }

  @Test
  void followerThatHeardFromLiveLeaderIgnoresVoteRequests() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long term = c.node(leader).status().term();
    long follower = leader == 1 ? 2 : 1;
    long other = 6 - leader - follower;
    RaftNode f = c.node(follower);
    Ready before = f.hasReady() ? f.ready() : null;
    assertThat(before).isNull();
    f.step(Message.builder(MessageType.VOTE, other, follower, term + 1).index(100).logTerm(term).build());
    assertThat(f.status().term()).isEqualTo(term);
    assertThat(f.hasReady()).isFalse(); // no response at all, not even a rejection
    // A campaign forced by TIMEOUT_NOW carries the transfer flag and is not ignored.
    f.step(Message.builder(MessageType.VOTE, other, follower, term + 1).index(100).logTerm(term)
        .context(RaftCore.TRANSFER_CONTEXT).build());
    assertThat(f.status().term()).isEqualTo(term + 1);
    assertThat(f.status().vote()).isEqualTo(other);
  }

  @Test
  void candidateWithStaleLogIsRefused() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(1 << 20).withPreVote(false).withCheckQuorum(false)
        .withLeaseDriftTicks(0));
    long leader = c.electLeader();
    long stale = leader == 3 ? 2 : 3;
    c.isolate(stale);
    c.propose(leader, "x");
    c.heal();
    // The stale node campaigns (no PreVote): it raises the term but cannot win; the others refuse it.
    c.node(stale).campaign();
    c.stabilize();
    assertThat(c.node(stale).status().role()).isNotEqualTo(Role.LEADER);
    long newLeader = c.electLeader();
    assertThat(newLeader).isNotEqualTo(stale);
    assertThat(c.appliedData(newLeader)).containsExactly("x");
  }

  @Test
  void restartedNodeHonoursItsLeasePromiseForOneElectionTimeout() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long term = c.node(leader).status().term();
    long follower = leader == 1 ? 2 : 1;
    long other = 6 - leader - follower;
    RaftNode f = c.restart(follower);
    f.step(Message.builder(MessageType.VOTE, other, follower, term + 1).index(100).logTerm(term).build());
    assertThat(f.status().term()).isEqualTo(term);
    for (int i = 0; i < 10; i++) f.tick();
    f.step(Message.builder(MessageType.VOTE, other, follower, term + 1).index(100).logTerm(term).build());
    assertThat(f.status().term()).isEqualTo(term + 1);
    assertThat(f.status().vote()).isEqualTo(other);
  }

  @Test
  void learnersAndRemovedNodesNeverCampaign() {
    RaftTestCluster c = new RaftTestCluster(RaftTestCluster::config);
    c.start(1, new ConfState(Set.of(1L), Set.of(2L)));
    c.start(2, new ConfState(Set.of(1L), Set.of(2L)));
    c.isolate(1);
    c.tickAll(100);
    assertThat(c.node(2).status().role()).isEqualTo(Role.LEARNER);
    assertThat(c.node(2).status().term()).isEqualTo(1);
  }
}
