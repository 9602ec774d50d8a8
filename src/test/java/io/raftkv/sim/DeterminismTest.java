package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The same seed replays the same run exactly; that is what makes a printed seed useful. */
class DeterminismTest {

  private static final String NAME = DeterminismTest.class.getSimpleName();

  @Test
  void sameSeedGivesIdenticalRun() {
    for (long seed : new long[] {3, 4, 5}) {
      SimCluster.Outcome a = SimRunner.run(Scenario.random(seed), NAME);
      SimCluster.Outcome b = SimRunner.run(Scenario.random(seed), NAME);
      assertThat(b).as("seed %d", seed).isEqualTo(a);
      assertThat(a.operations()).isPositive();
      if (seed == 5) { // a TTL run: the nodes' expiry tickers on the simulated clock replay exactly too
        assertThat(Scenario.random(seed).ttl).isTrue();
        assertThat(a.okByKind()).containsKeys("put ttl", "expire");
      }
    }
  }

  @Test
  void differentSeedsGiveDifferentRuns() {
    SimCluster.Outcome a = SimRunner.run(Scenario.random(10), NAME);
    SimCluster.Outcome b = SimRunner.run(Scenario.random(11), NAME);
    assertThat(a.traceHash()).isNotEqualTo(b.traceHash());
  }
}
