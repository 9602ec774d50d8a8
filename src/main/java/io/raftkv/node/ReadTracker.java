package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads waiting for a safe read point. At most one plain ReadIndex round (one context id, one
 * heartbeat round on the leader) is in flight at a time: reads that arrive while it is out are held
 * and all share the next round, sent as soon as the current one is answered (etcd batches the same
 * way). Sending a new round on every loop pass instead cost one heartbeat broadcast per pass under
 * read load. A held read is safe: its round starts after it arrived. Lease reads are answered by the
 * leader without a round and go out at once. Once the core answers with a {@link ReadState} a batch
 * waits until the state machine has applied that index, then completes with it. Loop thread only.
 */
final class ReadTracker {

  record Pending(CompletableFuture<Long> future, long deadlineNanos) {}

  /** The core's readIndex call ({@code RaftNode::readIndex}). */
  interface ReadIndexCall {
    void readIndex(byte[] context, boolean lease);
  }

  /**
   * A round unanswered this long no longer holds the next one back (its answer may be lost, e.g. a
   * dropped heartbeat): the held reads start their own round, as they would without batching.
   */
  static final long ROUND_STALE_NANOS = 100_000_000L;

  private final Map<Long, List<Pending>> awaitingReadState = new HashMap<>();
  private final TreeMap<Long, List<Pending>> awaitingApply = new TreeMap<>();
  private final Completer completer;
  private final NodeCounters counters;
  /** Plain reads waiting for the in-flight round to be answered. */
  private final List<Pending> held = new ArrayList<>();
  private long inFlightContext;
  private boolean roundInFlight;
  private long roundStartNanos;
  // Random start: a late answer to a request sent before a restart must not match a new batch.
  private long nextContext = java.util.concurrent.ThreadLocalRandom.current().nextLong();

  ReadTracker(Completer completer) {
    this(completer, new NodeCounters());
  }

  ReadTracker(Completer completer, NodeCounters counters) {
    this.completer = completer;
    this.counters = counters;
  }

  /**
   * Lease reads: one read point for the whole batch at once. Plain reads: joins them to the held
   * ones, and sends one round for all of them unless a fresh round is still in flight. With no leader
   * the batch fails at once. Call every loop pass while {@link #hasHeldReads} (held reads go out then).
   * Returns the context of a lease batch (null for plain reads, which may be held).
   */
  byte[] request(ReadIndexCall core, List<Pending> batch, boolean lease, long nowNanos) {
    if (lease) return send(core, batch, true);
    held.addAll(batch);
    if (!canSendHeld(nowNanos)) return null;
    List<Pending> round = new ArrayList<>(held);
    held.clear();
    byte[] ctx = send(core, round, false);
    roundInFlight = ctx != null && awaitingReadState.containsKey(decode(ctx));
    if (roundInFlight) {
      inFlightContext = decode(ctx);
      roundStartNanos = nowNanos;
    }
    return null;
  }

  boolean hasHeldReads() {
    return !held.isEmpty();
  }

  /** Whether held reads exist and no fresh round is in flight: the next {@link #request} sends them. */
  boolean canSendHeld(long nowNanos) {
    if (held.isEmpty()) return false;
    boolean fresh = roundInFlight && awaitingReadState.containsKey(inFlightContext)
        && nowNanos - roundStartNanos < ROUND_STALE_NANOS;
    return !fresh;
  }

  /** Sends one round; returns its context, or null when there was nothing to send. */
  private byte[] send(ReadIndexCall core, List<Pending> batch, boolean lease) {
    if (batch.isEmpty()) return null;
    byte[] ctx = newBatch(batch);
    if (!lease) counters.readIndexRound();
    try {
      core.readIndex(ctx, lease);
    } catch (ProposalRejectedException e) {
      dropBatch(ctx, new NodeException.Unavailable("no leader to confirm a read point: " + e.getMessage(), 1));
    }
    return ctx;
  }

  /** The core's answer to {@code context} must not be used (the lease expired): ignore it, ask by a quorum round. */
  void retryWithoutLease(ReadIndexCall core, byte[] context, long nowNanos) {
    List<Pending> batch = awaitingReadState.remove(decode(context));
    if (batch != null) request(core, batch, false, nowNanos);
  }

  /** Registers a batch and returns the context bytes to pass to the core's readIndex. */
  byte[] newBatch(List<Pending> batch) {
    long ctx = nextContext++;
    awaitingReadState.put(ctx, new ArrayList<>(batch));
    return ByteBuffer.allocate(8).putLong(ctx).array();
  }

  /** The core refused the batch right away (no leader): fail it. */
  void dropBatch(byte[] context, NodeException why) {
    List<Pending> batch = awaitingReadState.remove(decode(context));
    if (batch != null) batch.forEach(p -> completer.fail(p.future, why));
  }

  void onReadState(ReadState rs, long appliedIndex) {
    if (rs.context().length != 8) return;
    List<Pending> batch = awaitingReadState.remove(decode(rs.context()));
    if (batch == null) return; // expired already, or a duplicate answer
    awaitingApply.computeIfAbsent(rs.index(), k -> new ArrayList<>()).addAll(batch);
    onApplied(appliedIndex);
  }

  void onApplied(long appliedIndex) {
    Iterator<Map.Entry<Long, List<Pending>>> it = awaitingApply.headMap(appliedIndex, true).entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, List<Pending>> e = it.next();
      it.remove();
      for (Pending p : e.getValue()) completer.complete(p.future, e.getKey());
    }
  }

  /**
   * The leader changed: requests sent to the old one will never be answered (the core drops them), so
   * fail them now instead of at their timeout. Reads that already have a read point are unaffected.
   */
  void onLeaderChange() {
    NodeException e = new NodeException.Unavailable("leader changed while confirming a read point", 1);
    awaitingReadState.values().forEach(b -> b.forEach(p -> completer.fail(p.future, e)));
    awaitingReadState.clear();
    roundInFlight = false; // held reads go to the new leader in the next round
  }

  void expire(long nowNanos) {
    held.removeIf(p -> expired(p, nowNanos));
    expireIn(awaitingReadState.values().iterator(), nowNanos);
    expireIn(awaitingApply.values().iterator(), nowNanos);
  }

  private void expireIn(Iterator<List<Pending>> batches, long nowNanos) {
    while (batches.hasNext()) {
      List<Pending> batch = batches.next();
      batch.removeIf(p -> expired(p, nowNanos));
      if (batch.isEmpty()) batches.remove();
    }
  }

  private boolean expired(Pending p, long nowNanos) {
    if (nowNanos - p.deadlineNanos < 0) return false;
    completer.fail(p.future, new NodeException.Unavailable("timed out waiting for a read point", 1));
    return true;
  }

  void failAll(String why) {
    NodeException e = new NodeException.Unavailable(why, 1);
    awaitingReadState.values().forEach(b -> b.forEach(p -> completer.fail(p.future, e)));
    awaitingApply.values().forEach(b -> b.forEach(p -> completer.fail(p.future, e)));
    held.forEach(p -> completer.fail(p.future, e));
    awaitingReadState.clear();
    awaitingApply.clear();
    held.clear();
    roundInFlight = false;
  }

  private static long decode(byte[] context) {
    return ByteBuffer.wrap(context).getLong();
  }
}
