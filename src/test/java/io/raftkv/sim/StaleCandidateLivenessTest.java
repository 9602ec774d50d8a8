package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Sim seed 40002693 (a sweep of 2026-11-29): a 2-voter cluster without PreVote in its calm phase, node 3's
 * log behind node 1's. Node 3 kept timing out first and asking for votes in a new term; node 1 refused
 * each (its log is newer) but restarted its election timer on adopting the term, so it got to campaign
 * only after 13 rounds: a leader after 347 steps, beyond the 300-step bound. The core now keeps the timer
 * running on a refused vote request (RaftCore#adoptCandidatesTerm, Raft §5.2).
 */
class StaleCandidateLivenessTest {

  @Test
  void theNodeWithTheNewerLogLeadsWithinTheBoundDespiteAStaleCandidate() {
    Scenario sc = Scenario.random(40002693);
    assertThat(sc.preVote).as("the scenario as swept").isFalse();
    SimCluster.Outcome o = SimRunner.run(sc, StaleCandidateLivenessTest.class.getSimpleName());
    assertThat(o.leaderAfterSteps()).isBetween(0L, (long) sc.leaderBoundSteps);
    assertThat(o.ok()).isPositive();
  }
}
