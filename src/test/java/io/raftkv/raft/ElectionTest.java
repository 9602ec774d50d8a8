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

  @Test
  void splitVoteResolvesInALaterTerm() {
    RaftTestCluster c = RaftTestCluster.of(4, id -> new RaftConfig(id, 10, 1, 1 << 20, 256, 0, 1 << 20,
        false, false, 0, 0, Set.of()));
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
}
