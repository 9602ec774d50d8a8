package io.raftkv.sim;

import java.util.List;
import java.util.Map;

/** End-of-run checks: the calm phase converged (liveness) and the client history is linearizable. */
final class RunVerifier {

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

  private void checkConverged() {
    SimNode leader = cluster.stableLeader();
    if (leader == null) throw new SafetyViolation("liveness", "no leader at the end of the calm phase");
    long commit = leader.core().status().commitIndex();
    if (leader.applied() != commit) {
      throw new SafetyViolation("liveness", "leader " + leader.id() + " applied " + leader.applied()
          + " of commit " + commit);
    }
    Map<String, String> expected = snapshotOf(leader);
    for (long id : leader.core().status().conf().members()) {
      SimNode n = cluster.node(id);
      if (n == null) throw new SafetyViolation("liveness", "member " + id + " is not running at the end");
      if (n.applied() != commit) {
        throw new SafetyViolation("liveness", "member " + id + " applied " + n.applied()
            + " but leader " + leader.id() + " committed " + commit);
      }
      if (!snapshotOf(n).equals(expected)) {
        throw new SafetyViolation("state machine safety", "member " + id + " state differs from leader "
            + leader.id() + " at index " + commit);
      }
    }
  }

  private static Map<String, String> snapshotOf(SimNode n) {
    KvModel copy = new KvModel();
    copy.restore(n.stateMachineSnapshot());
    return copy.contents();
  }

  void checkLinearizable(History history) {
    List<Operation> ops = history.operations();
    LinearizabilityChecker.Verdict v = new LinearizabilityChecker().check(ops);
    if (!v.linearizable()) throw new SafetyViolation("linearizability", v.explanation());
  }
}
