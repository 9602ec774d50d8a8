package io.raftkv.sim;

import io.raftkv.raft.RaftConfig;
import io.raftkv.raft.TestDeviation;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Everything that shapes one simulated run, derived from its seed so that the seed alone replays it.
 * Rates are per simulation step. Mutation tests start from a random scenario and plant a bug.
 */
final class Scenario {

  final long seed;
  int nodes;
  int tickEvery = 2;
  int electionTicks = 10;
  int faultSteps;
  int calmSteps = 900;
  int drainSteps = 300;
  int leaderBoundSteps;
  int clients;
  int keys;
  double clientRate;
  int opTimeoutSteps;
  int readRetrySteps;
  int retryDelaySteps = 6;
  SimNetwork.Profile network;
  double crashRate;
  double restartRate;
  double partitionRate;
  double healRate;
  double snapshotRate;
  double membershipRate;
  double transferRate;
  boolean preVote;
  boolean checkQuorum;
  boolean leaseReads;
  long maxSizePerMsg;
  /** Entries kept below a local snapshot for slow followers (like {@code raftkv.log.retain}). */
  int logRetain;
  int maxInflight;
  Set<TestDeviation> deviations = EnumSet.noneOf(TestDeviation.class);
  boolean readsWithoutReadIndex;
  /** Planted bug: range reads served from the node's local state, without ReadIndex. */
  boolean rangesWithoutReadIndex;
  /** Planted bug: a txn's compares evaluated by the proposer, only the chosen branch replicated. */
  boolean txnComparedAtProposer;
  /** Planted bug: every replica applies an expire as if it named each key's current mod revision. */
  boolean expireIgnoresModRevision;
  /** Planted bug: a node's gets hide a key whose TTL ran out on its own clock, before any expire applied. */
  boolean expiresLocally;
  /**
   * Clients put with a TTL now and then, and leaders expire keys through the log ({@link SimExpiryTicker}).
   * Drawn from its own stream of the seed, like {@link #multiKeyOps}, so the other runs are unchanged.
   */
  boolean ttl;
  /**
   * Clients also issue range reads and transactions (on 2-4 keys), besides single-key ops. Drawn from
   * its own stream of the seed, so the runs without it are exactly what the same seed ran before
   * multi-key ops existed (CatchUpLivenessTest replays such seeds).
   */
  boolean multiKeyOps;
  /** The key count the main stream drew (what runs without multi-key ops use). */
  private int singleKeyOpsKeys;
  boolean persistVote = true;

  private Scenario(long seed) {
    this.seed = seed;
  }

  static Scenario random(long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Scenario s = new Scenario(seed);
    double size = r.nextDouble();
    s.nodes = size < 0.15 ? 1 : size < 0.65 ? 3 : 5;
    s.faultSteps = r.nextInt(1000, 2001);
    s.clients = r.nextInt(2, 5);
    s.keys = r.nextInt(1, 4);
    s.clientRate = 0.05 + 0.25 * r.nextDouble();
    s.network = new SimNetwork.Profile(0.1 * r.nextDouble(), 0.05 * r.nextDouble(), 1, r.nextInt(2, 7),
        0.05 * r.nextDouble(), r.nextInt(20, 61));
    s.crashRate = 0.002 + 0.008 * r.nextDouble();
    s.restartRate = 0.02 + 0.08 * r.nextDouble();
    s.partitionRate = 0.002 + 0.008 * r.nextDouble();
    s.healRate = 0.01 + 0.03 * r.nextDouble();
    s.snapshotRate = 0.005 + 0.015 * r.nextDouble();
    s.membershipRate = 0.002 + 0.004 * r.nextDouble();
    s.transferRate = 0.002 + 0.004 * r.nextDouble();
    s.preVote = r.nextInt(5) != 0;
    s.checkQuorum = r.nextInt(10) < 7;
    s.leaseReads = s.checkQuorum && r.nextBoolean();
    s.maxSizePerMsg = r.nextBoolean() ? 1 : r.nextInt(100, 2000);
    s.maxInflight = r.nextBoolean() ? r.nextInt(1, 9) : 256;
    s.logRetain = r.nextBoolean() ? 0 : r.nextInt(1, 20);
    s.singleKeyOpsKeys = s.keys;
    SplittableRandom multi = new SplittableRandom(seed ^ 0x4D554C54494BL);
    s.multiKeyOps = multi.nextInt(10) < 6;
    if (s.multiKeyOps) s.keys = multi.nextInt(2, 5);
    s.ttl = new SplittableRandom(seed ^ 0x5454_4C45_5850L).nextInt(10) < 4;
    return s.derive();
  }

  /** Recomputes the step budgets that follow from the timing parameters. */
  Scenario derive() {
    int electionSteps = electionTicks * tickEvery;
    opTimeoutSteps = 10 * electionSteps;
    readRetrySteps = 2 * electionSteps;
    leaderBoundSteps = 15 * electionSteps;
    return this;
  }

  /** This scenario as its seed ran before multi-key ops and TTLs existed (replays of older sweeps' seeds). */
  Scenario withSingleKeyOpsOnly() {
    multiKeyOps = false;
    ttl = false;
    keys = singleKeyOpsKeys;
    return this;
  }

  /** The bugs planted in the simulated nodes (mutation tests); all false in real runs. */
  record PlantedBugs(boolean readsWithoutReadIndex, boolean rangesWithoutReadIndex, boolean txnComparedAtProposer,
                     boolean expireIgnoresModRevision, boolean expiresLocally) {}

  PlantedBugs plantedBugs() {
    return new PlantedBugs(readsWithoutReadIndex, rangesWithoutReadIndex, txnComparedAtProposer, expireIgnoresModRevision,
        expiresLocally);
  }

  RaftConfig raftConfig(long id) {
    return RaftConfig.defaults(id).withTicks(electionTicks, 1).withMaxSizePerMsg(maxSizePerMsg)
        .withMaxInflightMsgs(maxInflight).withPreVote(preVote).withCheckQuorum(checkQuorum)
        .withLeaseDriftTicks(leaseReads ? 1 : 0);
  }

  /**
   * Whether the leader pipelines far more entries per round trip than the clients can write (many
   * messages in flight): then even an empty new voter catches up within a few round trips.
   */
  boolean fastCatchUp() {
    return maxInflight >= 64;
  }

  /**
   * How far behind the leader's commit a learner may be when promoted: what about ten round trips
   * drain at one entry per message, capped at production's LearnerPromotions.MAX_LAG (100).
   */
  long promotionLag() {
    return Math.min(100, 10L * maxInflight);
  }

  /** Worst round trip of the calm phase's reliable network, in steps, plus a tick of processing slack. */
  int calmRoundTripSteps() {
    return 2 * SimNetwork.Profile.RELIABLE.maxDelay() + tickEvery;
  }

  int totalSteps() {
    return faultSteps + calmSteps;
  }

  @Override
  public String toString() {
    return "seed=" + seed + " nodes=" + nodes + " faultSteps=" + faultSteps + " clients=" + clients
        + " keys=" + keys + (multiKeyOps ? " multiKeyOps" : "") + (ttl ? " ttl" : "") + " preVote=" + preVote + " checkQuorum=" + checkQuorum + " leaseReads=" + leaseReads
        + " maxSizePerMsg=" + maxSizePerMsg + " maxInflight=" + maxInflight + " logRetain=" + logRetain + " net=" + network
        + String.format(" crash=%.4f restart=%.3f partition=%.4f heal=%.3f snapshot=%.3f member=%.4f transfer=%.4f",
            crashRate, restartRate, partitionRate, healRate, snapshotRate, membershipRate, transferRate)
        + (deviations.isEmpty() ? "" : " deviations=" + deviations)
        + (readsWithoutReadIndex ? " readsWithoutReadIndex" : "") + (rangesWithoutReadIndex ? " rangesWithoutReadIndex" : "")
        + (txnComparedAtProposer ? " txnComparedAtProposer" : "")
        + (expireIgnoresModRevision ? " expireIgnoresModRevision" : "") + (expiresLocally ? " expiresLocally" : "") + (persistVote ? "" : " voteNotPersisted");
  }
}
