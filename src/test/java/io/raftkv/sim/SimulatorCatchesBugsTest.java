package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.RaftConfig.Deviation;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Mutation tests for the simulator itself: each plants one classic Raft bug (in the core through a
 * {@link Deviation}, or in the simulated driver) and searches seeds until the simulator reports a safety
 * or linearizability violation. A simulator that never notices these bugs would be worthless.
 */
class SimulatorCatchesBugsTest {

  private static final String NAME = SimulatorCatchesBugsTest.class.getSimpleName();
  private static final int MAX_SEEDS = 200;
  private static final long MAX_NANOS = 60_000_000_000L;

  @Test
  void catchesCommittingPriorTermEntriesByCounting() {
    assertCaught("commit prior term by counting",
        sc -> sc.deviations.add(Deviation.COMMIT_PRIOR_TERM_BY_COUNTING), sc -> {
      sc.nodes = 3;
      sc.maxSizePerMsg = 1; // one entry per APPEND, so a follower can hold an old entry but not the new no-op
      sc.network = new SimNetwork.Profile(0.15, 0.02, 1, 4, 0.05, 40);
      sc.crashRate = 0.015;
      sc.restartRate = 0.1;
    });
  }

  @Test
  void catchesReadIndexWithoutQuorumCheck() {
    assertCaught("ReadIndex without quorum check",
        sc -> sc.deviations.add(Deviation.READ_INDEX_WITHOUT_QUORUM_CHECK), sc -> {
      sc.nodes = 3;
      sc.checkQuorum = false; // a deposed leader keeps believing it leads while cut off
      sc.leaseReads = false;
      sc.partitionRate = 0.01;
      sc.healRate = 0.005;
      sc.clientRate = 0.3;
    });
  }

  @Test
  void catchesReadsServedFromLocalStateWithoutReadIndex() {
    assertCaught("reads without ReadIndex", sc -> sc.readsWithoutReadIndex = true, sc -> {
      sc.nodes = 3;
      sc.clientRate = 0.3;
    });
  }

  @Test
  void catchesAVoteThatIsNotPersisted() {
    assertCaught("vote not persisted", sc -> sc.persistVote = false, sc -> {
      sc.nodes = 3;
      sc.preVote = false;
      sc.crashRate = 0.03;
      sc.restartRate = 0.3;
    });
  }

  /**
   * Searches seeds (bounded in count and time) of scenarios shaped by {@code tune} with {@code bug} planted
   * until a run reports a violation, then replays that seed without the bug to show the bug caused it.
   */
  private static void assertCaught(String bug, Consumer<Scenario> plant, Consumer<Scenario> tune) {
    long start = System.nanoTime();
    SimulationFailure caught = null;
    int tried = 0;
    while (caught == null && tried < MAX_SEEDS && System.nanoTime() - start < MAX_NANOS) {
      tried++;
      Scenario sc = Scenario.random(tried);
      tune.accept(sc);
      plant.accept(sc);
      try {
        SimRunner.run(sc.derive(), NAME);
      } catch (SimulationFailure f) {
        caught = f;
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    assertThat(caught).as("%s: no violation in %d seeds (%.1f s)", bug, tried, secs).isNotNull();
    System.out.printf("%s: caught at seed %d after %d run(s), %.1f s: %s%n", bug, caught.seed(), tried, secs,
        caught.getCause().getMessage().lines().findFirst().orElse(""));
    assertThat(caught.isViolation()).as("reported as a violation, not a harness error:%n%s", caught.getMessage())
        .isTrue();
    Scenario clean = Scenario.random(caught.seed());
    tune.accept(clean);
    SimRunner.run(clean.derive(), NAME); // throws if the seed fails even without the bug
  }
}
