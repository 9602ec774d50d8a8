package io.raftkv.sim;

import io.raftkv.raft.ProposalRejectedException;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A client with at most one outstanding operation. It sends to the node it believes leads (or any node),
 * follows "not leader" hints, and gives up after a timeout: a write that reached a leader then has an
 * unknown outcome; anything else definitely had no effect. Reads are re-sent to another node now and then
 * (they have no effect, so that is safe), writes never are.
 */
final class SimClient implements PendingRequests.Requester {

  /** What the client needs from the cluster. */
  interface Cluster {
    long now();

    /** The live node with this id, or null. */
    SimNode node(long id);

    /** A random id among nodes the client may contact. */
    long anyNodeId();

    History history();
  }

  private final long id;
  private final Cluster cluster;
  private final RandomGenerator random;
  private final Scenario scenario;
  private final List<String> keys;
  private final Map<String, String> lastSeen;
  private final MultiKeyOps multiKeyOps;

  private Operation current;
  private boolean submitted;
  private long target;
  private long deadline;
  private long nextAttemptAt;
  private int issued;

  SimClient(long id, Cluster cluster, RandomGenerator random, Scenario scenario, List<String> keys,
            Map<String, String> lastSeen) {
    this.id = id;
    this.cluster = cluster;
    this.random = random;
    this.scenario = scenario;
    this.keys = keys;
    this.lastSeen = lastSeen;
    this.multiKeyOps = new MultiKeyOps(random, keys, "k", lastSeen);
  }

  long id() {
    return id;
  }

  boolean busy() {
    return current != null;
  }

  void step(boolean mayStartNew) {
    long now = cluster.now();
    if (current != null && now >= deadline) giveUp();
    if (current == null && mayStartNew && random.nextDouble() < scenario.clientRate) begin(now);
    if (current == null || now < nextAttemptAt) return;
    if (!submitted) {
      attempt(now);
    } else if (!current.op().isWrite()) {
      submitted = false; // a read may be lost with a crashed or deposed node: ask again elsewhere
      target = cluster.anyNodeId();
    }
  }

  @Override
  public void onResult(Operation op, KvOp.Result result) {
    if (op != current || !op.isPending()) return;
    cluster.history().complete(op, result);
    if (op.op().kind() == KvOp.Kind.GET && result.value() != null) lastSeen.put(op.op().key(), result.value());
    if (op.op().kind() == KvOp.Kind.PUT || (op.op().kind() == KvOp.Kind.CAS && result.ok())) {
      lastSeen.put(op.op().key(), op.op().value());
    }
    multiKeyOps.onResult(op.op(), result);
    current = null;
  }

  @Override
  public void onFailed(Operation op) {
    if (op != current || !op.isPending()) return;
    cluster.history().fail(op);
    current = null;
  }

  private void begin(long now) {
    String key = keys.get(random.nextInt(keys.size()));
    String value = "c" + id + "-" + (++issued);
    // Without multi-key ops the draws are exactly those of runs before ranges and txns existed.
    int dice = random.nextInt(scenario.multiKeyOps ? 14 : 10);
    KvOp op = switch (dice) {
      case 0, 1, 2 -> putMaybeWithTtl(key, value);
      case 3 -> KvOp.delete(key);
      case 4, 5 -> KvOp.cas(key, lastSeen.getOrDefault(key, "none"), value);
      case 10, 11 -> multiKeyOps.range();
      case 12, 13 -> multiKeyOps.txn(value);
      default -> KvOp.get(key);
    };
    current = cluster.history().invoke(id, op, now);
    submitted = false;
    deadline = now + scenario.opTimeoutSteps;
    nextAttemptAt = now;
    if (cluster.node(target) == null) target = cluster.anyNodeId();
  }

  /**
   * A put; in TTL runs half the puts give the key a TTL of 1-2 seconds (20-40 steps of
   * {@link SimExpiryTicker#NANOS_PER_STEP}), so keys expire, and are written again, within a run. The
   * extra draws happen only in TTL runs, so the other seeds run as before.
   */
  private KvOp putMaybeWithTtl(String key, String value) {
    if (!scenario.ttl || random.nextInt(2) == 0) return KvOp.put(key, value);
    return KvOp.putWithTtl(key, value, random.nextInt(1, 3));
  }

  private void attempt(long now) {
    SimNode node = cluster.node(target);
    if (node == null) {
      retryElsewhere(now, 0);
      return;
    }
    try {
      if (current.op().isWrite()) {
        node.submitWrite(this, current);
      } else {
        boolean lease = scenario.leaseReads && random.nextInt(3) == 0;
        node.submitRead(this, current, lease);
      }
      submitted = current != null && current.isPending();
      nextAttemptAt = now + scenario.readRetrySteps;
    } catch (ProposalRejectedException e) {
      retryElsewhere(now, e.leaderHint());
    }
  }

  private void retryElsewhere(long now, long hint) {
    target = hint != 0 && random.nextInt(4) != 0 ? hint : cluster.anyNodeId();
    nextAttemptAt = now + 1 + random.nextInt(scenario.retryDelaySteps);
  }

  private void giveUp() {
    if (submitted && current.op().isWrite()) {
      current.markUnknown();
    } else {
      cluster.history().fail(current);
    }
    current = null;
  }
}
