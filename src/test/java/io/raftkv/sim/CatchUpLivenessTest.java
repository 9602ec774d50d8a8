package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The soak seeds of issue 13 whose members could not catch up under {@code maxSizePerMsg=1
 * maxInflight=1} (one entry per round trip). All three failed liveness before the simulator modelled
 * joins as production makes them and gave lagging members catch-up time scaled to that rate.
 */
class CatchUpLivenessTest {

  private static final String NAME = CatchUpLivenessTest.class.getSimpleName();

  private static SimCluster.Outcome run(long seed) {
    Scenario sc = Scenario.random(seed).withSingleKeyOpsOnly(); // as swept, before ranges and txns
    assertThat(sc.maxSizePerMsg).isEqualTo(1);
    assertThat(sc.maxInflight).isEqualTo(1);
    return SimRunner.run(sc, NAME);
  }

  @Test
  void aLearnerFarBehindCatchesUpOnceClientsStop() {
    // Learner 2 was 233 (2012494) and 99 (4001040) entries behind when the fixed calm phase ended.
    for (long seed : new long[] {2012494, 4001040}) {
      SimCluster.Outcome o = run(seed);
      assertThat(o.faults()).as("seed %d", seed).containsKey("calm phase extended for catch-up");
      assertThat(o.ok()).isPositive();
    }
  }

  @Test
  void slowReplicationAddsNewNodesAsLearnersOnly() {
    // 3005032 added node 4 straight as a voter with an empty log; every commit then waited for it.
    SimCluster.Outcome o = run(3005032);
    assertThat(o.faults()).doesNotContainKey("membership: ADD_VOTER").containsKey("membership: ADD_LEARNER");
  }
}
