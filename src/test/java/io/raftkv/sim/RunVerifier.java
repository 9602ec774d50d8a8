package io.raftkv.sim;

import io.raftkv.kv.KvEntry;
import java.util.List;
import java.util.Map;

/** End-of-run checks: the calm phase converged (liveness) and the client history is linearizable. */
final class RunVerifier {

  /** The result a write produced when first applied, and the logical time of that first apply. */
  record Applied(KvOp.Result result, long at) {}

  private final Scenario sc;
  private final SimCluster cluster;

  RunVerifier(Scenario sc, SimCluster cluster) {
    this.sc = sc;
    this.cluster = cluster;
  }

  /**
   * A leader emerged within the bound; operations started once it had to exist all succeeded; nothing is
   * left pending; every live member applied everything the leader committed, to the same state.
   */
  void checkLiveness(long calmStart, long leaderSeenAt) {
    if (leaderSeenAt < 0 || leaderSeenAt - calmStart > sc.leaderBoundSteps) {
      throw new SafetyViolation("liveness", "no stable leader within " + sc.leaderBoundSteps
          + " steps of the calm phase (seen after " + (leaderSeenAt < 0 ? "never" : leaderSeenAt - calmStart) + ")");
    }
    long settled = calmStart + sc.leaderBoundSteps;
    for (Operation o : cluster.history().operations()) {
      if (o.isPending()) throw new SafetyViolation("liveness", "operation still pending at the end: " + o);
      if (o.invokedStep() > settled && o.status() != Operation.Status.OK) {
        throw new SafetyViolation("liveness", "operation in the calm phase did not succeed: " + o);
      }
    }
    checkConverged();
  }

  /** Upper bound on {@link #catchUpAllowance()}: keeps every run bounded. */
  static final long MAX_CATCH_UP_STEPS = 20_000;

  /**
   * How many extra calm steps (no new client operations) a lagging member gets before the convergence
   * check: twice the round trips its backlog needs at the slowest rate the configuration guarantees,
   * one entry per message and {@code maxInflight} messages per round trip. A learner that fell a few
   * hundred entries behind under {@code maxSizePerMsg=1 maxInflight=1} cannot catch up while clients
   * write as fast as it is sent entries (sim seeds 2012494, 4001040), nor within the fixed drain; a
   * member that does not catch up in this time is still a liveness failure. Zero once converged.
   */
  long catchUpAllowance() {
    SimNode leader = cluster.stableLeader();
    if (leader == null || converged()) return 0;
    long last = leader.storage().lastIndex();
    long backlog = 0;
    for (long id : leader.core().status().conf().members()) {
      SimNode n = cluster.node(id);
      if (n != null) backlog = Math.max(backlog, last - n.applied());
    }
    long rounds = (backlog + sc.maxInflight - 1) / sc.maxInflight + 1;
    return Math.min(MAX_CATCH_UP_STEPS, 2 * rounds * sc.calmRoundTripSteps());
  }

  /** What {@link #checkLiveness} requires at the end: settled, everything applied, nothing pending. */
  boolean converged() {
    if (!settled()) return false;
    SimNode leader = cluster.stableLeader();
    long commit = leader.core().status().commitIndex();
    for (long id : leader.core().status().conf().members()) {
      if (cluster.node(id).applied() != commit) return false;
    }
    for (Operation o : cluster.history().operations()) if (o.isPending()) return false;
    return true;
  }

  private void checkConverged() {
    SimNode leader = cluster.stableLeader();
    if (leader == null) throw new SafetyViolation("liveness", "no leader at the end of the calm phase");
    long commit = leader.core().status().commitIndex();
    if (leader.applied() != commit) {
      throw new SafetyViolation("liveness", "leader " + leader.id() + " applied " + leader.applied()
          + " of commit " + commit);
    }
    Map<String, KvEntry> expected = leader.contents();
    for (long id : leader.core().status().conf().members()) {
      SimNode n = cluster.node(id);
      if (n == null) throw new SafetyViolation("liveness", "member " + id + " is not running at the end");
      if (n.applied() != commit) {
        throw new SafetyViolation("liveness", "member " + id + " applied " + n.applied()
            + " but leader " + leader.id() + " committed " + commit);
      }
      if (!n.contents().equals(expected)) {
        throw new SafetyViolation("state machine safety", "member " + id + " state differs from leader "
            + leader.id() + " at index " + commit);
      }
    }
  }

  /**
   * Settles writes whose clients gave up: one found applied took effect by its first apply; once the
   * cluster has settled (every voter's log is committed, nothing in flight), one never applied never will.
   * Clients that did get an answer must have got what the state machine computed.
   *
   * @return how many operations had an unknown outcome before this
   */
  int resolveUnknownOutcomes(Map<Long, Applied> applied) {
    boolean settled = settled();
    int unknown = 0;
    for (Operation o : cluster.history().operations()) {
      Applied a = applied.get(o.id());
      if (o.status() == Operation.Status.OK && o.op().isWrite() && a != null && !a.result().equals(o.result())) {
        throw new SafetyViolation("state machine safety", o + " but the state machine computed " + a.result());
      }
      if (o.status() == Operation.Status.FAILED && a != null) {
        throw new SafetyViolation("state machine safety", o + " was reported failed but was applied");
      }
      if (o.status() != Operation.Status.UNKNOWN) continue;
      unknown++;
      if (a != null) {
        o.resolveApplied(a.result(), a.at());
      } else if (settled) {
        o.resolveNeverApplied();
      }
    }
    return unknown;
  }

  private boolean settled() {
    SimNode leader = cluster.stableLeader();
    if (leader == null) return false;
    long commit = leader.core().status().commitIndex();
    for (long id : leader.core().status().conf().members()) {
      SimNode n = cluster.node(id);
      if (n == null || n.storage().lastIndex() != commit) return false;
    }
    return leader.storage().lastIndex() == commit;
  }

  void checkLinearizable(History history) {
    List<Operation> ops = history.operations();
    LinearizabilityChecker.Verdict v = new LinearizabilityChecker().check(ops);
    if (!v.linearizable()) throw new SafetyViolation("linearizability", v.explanation());
  }
}
