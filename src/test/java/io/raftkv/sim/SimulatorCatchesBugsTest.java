package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.TestDeviation;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Mutation tests for the simulator itself: each plants one classic Raft bug (in the core through a
 * {@link TestDeviation}, or in the simulated driver) and searches seeds until the simulator reports a safety
 * or linearizability violation. A simulator that never notices these bugs would be worthless.
 */
class SimulatorCatchesBugsTest {

  private static final String NAME = SimulatorCatchesBugsTest.class.getSimpleName();
  private static final int MAX_SEEDS = 200;
  private static final long MAX_NANOS = 120_000_000_000L;

  @Test
  void catchesCommittingPriorTermEntriesByCounting() {
    assertCaught("commit prior term by counting",
        sc -> sc.deviations.add(TestDeviation.COMMIT_PRIOR_TERM_BY_COUNTING), sc -> {
          churn(sc, 0.1, 0.5, 0.1);
          // One entry per APPEND and no pipelining: a follower often holds an old-term entry but not yet
          // the new leader's no-op, which is exactly when counting replicas commits too early (Figure 8).
          sc.maxSizePerMsg = 1;
          sc.maxInflight = 1;
          sc.clientRate = 0.5;
          sc.clients = 4;
        });
  }

  @Test
  void catchesReadIndexWithoutQuorumCheck() {
    assertCaught("ReadIndex without quorum check",
        sc -> sc.deviations.add(TestDeviation.READ_INDEX_WITHOUT_QUORUM_CHECK), sc -> {
          sc.nodes = 3;
          sc.electionTicks = 4;
          sc.checkQuorum = false; // a deposed leader keeps believing it leads while cut off
          sc.leaseReads = false;
          sc.partitionRate = 0.02;
          sc.healRate = 0.005;
          sc.crashRate = 0.002;
          sc.clientRate = 0.4;
          sc.clients = 4;
          sc.keys = 1;
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
  void catchesRangeReadsThatMissACommittedWrite() {
    // Ranges served from a follower's or deposed leader's applied state, without ReadIndex, miss
    // writes already acknowledged; single-key reads stay correct, so only the range model can tell.
    assertCaught("ranges without ReadIndex", sc -> sc.rangesWithoutReadIndex = true, sc -> {
      multiKey(sc);
      sc.nodes = 3;
    }, "linearizability");
  }

  @Test
  void catchesATxnWhoseCompareAndWritesAreNotAtomic() {
    // The proposer evaluates the compares on its applied state and replicates the chosen branch
    // unconditionally: every replica applies the same entries, so only the history shows it.
    assertCaught("txn compared at the proposer", sc -> sc.txnComparedAtProposer = true, sc -> {
      multiKey(sc);
      sc.clientRate = 0.5;
    }, "linearizability");
  }

  @Test
  void catchesAnExpireThatIgnoresTheModRevision() {
    // Every replica deletes a key that still has a TTL when an expire names it, even if a put with a
    // new TTL raced the expiry: the replicas agree, so only the history (a read that misses the
    // acknowledged put, or a write that finds the key gone) shows it.
    assertCaught("expire ignoring the mod revision", sc -> sc.expireIgnoresModRevision = true, sc -> {
      sc.ttl = true;
      sc.keys = 1;
      sc.clients = 4;
      sc.clientRate = 0.3;
    }, "linearizability");
  }

  @Test
  void catchesANodeThatExpiresKeysWithoutTheLog() {
    // A node's gets hide a key once its own deadline passed, before the expire is applied: a read
    // then misses a key that a later read (elsewhere, or after a put raced the expiry) still shows.
    assertCaught("expiry on a node's own clock", sc -> sc.expiresLocally = true, sc -> {
      sc.ttl = true;
      sc.keys = 1;
      sc.clients = 4;
      sc.clientRate = 0.3;
    }, "linearizability");
  }

  /** Clients issuing ranges and txns, on two keys, and many of them. */
  private static void multiKey(Scenario sc) {
    sc.multiKeyOps = true;
    sc.keys = 2;
    sc.clients = 4;
    sc.clientRate = 0.3;
  }

  @Test
  void catchesAVoteThatIsNotPersisted() {
    assertCaught("vote not persisted", sc -> sc.persistVote = false, sc -> {
      // Instant reboots during frequent split votes: a voter forgets its vote and votes again.
      churn(sc, 0.15, 1.0, 0.05);
    });
  }

  /** Short elections, frequent crashes and slow links: many elections, many of them contested. */
  private static void churn(Scenario sc, double crashRate, double restartRate, double dropRate) {
    sc.nodes = 3;
    sc.electionTicks = 4;
    sc.faultSteps = 4000;
    sc.preVote = false;
    sc.checkQuorum = false;
    sc.leaseReads = false;
    sc.membershipRate = 0;
    sc.crashRate = crashRate;
    sc.restartRate = restartRate;
    sc.network = new SimNetwork.Profile(dropRate, 0.02, 1, 10, 0.05, 40);
  }

  /**
   * Searches seeds (bounded in count and time) of scenarios shaped by {@code tune} with {@code bug} planted
   * until a run reports a violation, then replays that seed without the bug to show the bug caused it.
   */
  private static void assertCaught(String bug, Consumer<Scenario> plant, Consumer<Scenario> tune) {
    assertCaught(bug, plant, tune, "");
  }

  /** As above, and the violated property's name starts with {@code property}. */
  private static void assertCaught(String bug, Consumer<Scenario> plant, Consumer<Scenario> tune, String property) {
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
    assertThat(caught.getCause().getMessage()).startsWith(property);
    Scenario clean = Scenario.random(caught.seed());
    tune.accept(clean);
    SimRunner.run(clean.derive(), NAME); // throws if the seed fails even without the bug
  }
}
