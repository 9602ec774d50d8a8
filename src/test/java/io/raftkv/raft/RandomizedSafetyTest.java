package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * A small seeded chaos run over the unit-test pump (the real simulator lives elsewhere): random
 * partitions, message loss, restarts, proposals, reads and transfers, then calm. Checks election
 * safety (one leader per term), state-machine safety (the pump checks every applied entry) and
 * that the cluster converges once healed.
 */
class RandomizedSafetyTest {

  static java.util.stream.LongStream seeds() {
    return java.util.stream.LongStream.rangeClosed(1, Long.getLong("raftkv.core.seeds", 20));
  }

  @ParameterizedTest(name = "seed {0}")
  @org.junit.jupiter.params.provider.MethodSource("seeds")
  void randomFaultsThenCalmConverges(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    RaftTestCluster c = RaftTestCluster.of(5);
    c.reorderAndDuplicate(rnd.split());
    Map<Long, Long> leaderOfTerm = new HashMap<>();
    int proposed = 0;
    for (int step = 0; step < Integer.getInteger("raftkv.core.steps", 500); step++) {
      int dice = rnd.nextInt(100);
      if (dice < 5) {
        c.heal();
        c.isolate(1 + rnd.nextInt(5));
      } else if (dice < 8) {
        c.heal();
        long a = 1 + rnd.nextInt(5);
        c.cutLink(a, 1 + (a % 5));
      } else if (dice < 10) {
        c.heal();
        int pct = rnd.nextInt(50);
        SplittableRandom dropRnd = rnd.split();
        c.dropIf(m -> dropRnd.nextInt(100) < pct);
      } else if (dice < 12) {
        c.restart(1 + rnd.nextInt(5));
      } else if (dice < 14) {
        c.heal();
      } else if (dice < 17) {
        c.compact(1 + rnd.nextInt(5)); // later laggards need a snapshot
      }
      long leader = c.leader();
      if (leader != 0 && rnd.nextInt(3) == 0) {
        try {
          c.node(leader).propose(("p" + proposed++).getBytes());
          if (rnd.nextInt(10) == 0) c.node(leader).readIndex(new byte[] {(byte) step}, rnd.nextBoolean());
          if (rnd.nextInt(40) == 0) c.node(leader).transferLeadership(1 + rnd.nextInt(5));
          if (rnd.nextInt(30) == 0) changeMembership(c, leader, rnd);
        } catch (ProposalRejectedException ignored) {
          // transferring or transfer to self: fine
        }
      }
      c.tickAll(1);
      checkElectionSafety(c, leaderOfTerm);
    }
    c.heal();
    long leader = c.electLeader();
    c.tickAll(30);
    leader = c.leader();
    c.propose(leader, "final");
    c.tickAll(5);
    long commit = c.node(leader).status().commitIndex();
    for (long id = 1; id <= 5; id++) {
      if (!c.node(leader).status().conf().isMember(id)) continue;
      assertThat(c.node(id).status().commitIndex()).as("node %d commit", id).isEqualTo(commit);
      assertThat(c.appliedData(id)).endsWith("final");
    }
  }

  /** Node 6 joins as learner, is promoted, and is removed again, one change at a time. */
  private static void changeMembership(RaftTestCluster c, long leader, SplittableRandom rnd) {
    if (!c.nodes.containsKey(6L)) c.start(6, ConfState.EMPTY);
    ConfState conf = c.node(leader).status().conf();
    ConfChange.Type t = conf.voters().contains(6L) ? ConfChange.Type.REMOVE_NODE
        : conf.learners().contains(6L) ? ConfChange.Type.ADD_VOTER : ConfChange.Type.ADD_LEARNER;
    c.node(leader).proposeConfChange(new ConfChange(t, 6, null));
  }

  private static void checkElectionSafety(RaftTestCluster c, Map<Long, Long> leaderOfTerm) {
    for (Map.Entry<Long, RaftNode> e : c.nodes.entrySet()) {
      Status s = e.getValue().status();
      if (s.role() != Role.LEADER) continue;
      Long prev = leaderOfTerm.putIfAbsent(s.term(), e.getKey());
      assertThat(prev == null ? e.getKey() : prev).as("leader of term %d", s.term()).isEqualTo(e.getKey());
    }
  }
}
