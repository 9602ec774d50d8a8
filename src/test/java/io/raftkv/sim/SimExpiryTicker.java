package io.raftkv.sim;

import io.raftkv.kv.ExpiryTicker;
import io.raftkv.kv.ExpiryTracker;
import io.raftkv.kv.KvCommand;
import io.raftkv.raft.ProposalRejectedException;
import java.util.List;

/**
 * A simulated node's expiry ticker: what the production {@link ExpiryTicker} does, on the simulated
 * clock. Every {@link #PERIOD_STEPS} (100 ms, {@link ExpiryTicker#PERIOD_MILLIS}) a node that believes
 * it leads asks its own {@link ExpiryTracker} (the production tracker, whose deadlines are this node's
 * apply time of each TTL put plus the TTL, on the simulated clock) for the keys past their deadline and
 * proposes one production {@link KvCommand.Expire} for them; at most one of its proposals is in flight.
 * The production ticker runs on a thread of its own, which the simulator cannot drive deterministically,
 * so this class repeats its few lines of logic.
 *
 * <p>Each proposal is an operation in the history (client {@link #CLIENT_BASE} + node id), so the
 * checker validates expiries as writes: completed when the proposer applies it, failed when another
 * entry took its index, unknown when the proposer crashes or it times out (then settled from the log at
 * the end of the run, like a client's write).
 *
 * <p>Volatile, like everything in a node's memory: a crash forgets the in-flight proposal.
 */
final class SimExpiryTicker implements PendingRequests.Requester {

  /**
   * Simulated nanoseconds per step: 50 ms, so an election timeout (20-40 steps) is 1-2 s and a TTL of 1-2 s
   * (20-40 steps) runs out between clients' writes of a key often enough to race them.
   */
  static final long NANOS_PER_STEP = 50_000_000L;
  /** {@link ExpiryTicker#PERIOD_MILLIS} in steps. */
  static final long PERIOD_STEPS = ExpiryTicker.PERIOD_MILLIS * 1_000_000L / NANOS_PER_STEP;
  /** Client ids of tickers in the history: this plus the node id (clients are numbered from 1). */
  static final long CLIENT_BASE = 1000;
  /** The production ticker's bound on the key characters of one expire (package-private there). */
  private static final long MAX_KEY_CHARS = 256 << 10;

  private final SimNode node;
  private final NodeHost host;
  private final History history;
  private final long timeoutSteps;
  private Operation inFlight;
  private long deadline;

  SimExpiryTicker(SimNode node, NodeHost host, History history, long timeoutSteps) {
    this.node = node;
    this.host = host;
    this.history = history;
    this.timeoutSteps = timeoutSteps;
  }

  /** One simulated step: maybe proposes an expire ({@code mayPropose}: false once clients stop). */
  void step(ExpiryTracker tracker, boolean mayPropose) {
    long now = host.now();
    if (inFlight != null && !inFlight.isPending()) inFlight = null;
    if (inFlight != null && now >= deadline) giveUp();
    if (inFlight != null || !mayPropose || (now + node.id()) % PERIOD_STEPS != 0 || !node.isLeader()) return;
    List<KvCommand.Due> due = tracker.due(KvCommand.Expire.MAX_KEYS, MAX_KEY_CHARS);
    if (due.isEmpty()) return;
    Operation op = history.invoke(CLIENT_BASE + node.id(), KvOp.expire(due), now);
    try {
      node.proposeExpire(this, op);
    } catch (ProposalRejectedException e) {
      history.fail(op); // nothing was appended: e.g. a leadership transfer is under way
      return;
    }
    host.count("expire proposed");
    inFlight = op;
    deadline = now + timeoutSteps;
  }

  /** The node crashed: a proposal it made may still commit, or never. */
  void giveUp() {
    if (inFlight != null && inFlight.isPending()) {
      inFlight.markUnknown();
      host.count("expire outcome unknown");
    }
    inFlight = null;
  }

  @Override
  public void onResult(Operation op, KvOp.Result result) {
    if (op != inFlight || !op.isPending()) return;
    history.complete(op, result);
    inFlight = null;
  }

  @Override
  public void onFailed(Operation op) {
    if (op != inFlight || !op.isPending()) return;
    history.fail(op);
    host.count("expire failed");
    inFlight = null;
  }
}
