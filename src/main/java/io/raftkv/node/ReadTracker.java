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
 * waits until the state machine has applied that index, then completes with it.
 *
 * <p>A read that finds no leader (the core refuses it), or whose round went to a leader that lost its
 * leadership, waits for the next leader and is sent again, until its {@code retryUntilNanos} (about
 * three election timeouts, as {@link WriteRouter} waits for writes): a client then sees one read
 * that took as long as the election instead of a 503. Sending a read again is always safe: its read
 * point is taken after it arrived, whichever round gives it. Loop thread only.
 */
final class ReadTracker {

  /**
   * One read: answered by {@code deadlineNanos} at the latest; while no leader is known it may wait for
   * one until {@code retryUntilNanos} (not after the deadline; equal to the deadline or earlier).
   */
  record Pending(CompletableFuture<Long> future, long deadlineNanos, long retryUntilNanos) {}

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
  /** Reads refused for want of a leader, or sent to one that lost it: they go out once one is known. */
  private final List<Pending> awaitingLeader = new ArrayList<>();
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
   * the batch waits for one ({@link #leaderKnown}), or fails once it may wait no longer. Call every
   * loop pass while {@link #hasHeldReads} (held reads go out then).
   * Returns the context of a lease batch (null for plain reads, which may be held).
   */
  byte[] request(ReadIndexCall core, List<Pending> batch, boolean lease, long nowNanos) {
    if (lease) return send(core, batch, true, nowNanos);
    held.addAll(batch);
    if (!canSendHeld(nowNanos)) return null;
    List<Pending> round = new ArrayList<>(held);
    held.clear();
    byte[] ctx = send(core, round, false, nowNanos);
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
  private byte[] send(ReadIndexCall core, List<Pending> batch, boolean lease, long nowNanos) {
    if (batch.isEmpty()) return null;
    byte[] ctx = newBatch(batch);
    if (!lease) counters.readIndexRound();
    try {
      core.readIndex(ctx, lease);
    } catch (ProposalRejectedException e) {
      List<Pending> refused = awaitingReadState.remove(decode(ctx));
      NodeException why = new NodeException.Unavailable("no leader to confirm a read point: " + e.getMessage(), 1);
      if (refused != null) awaitLeaderOrFail(refused, why, nowNanos);
    }
    return ctx;
  }

  /** Each read waits for a leader if it still may, or fails with {@code why}. */
  private void awaitLeaderOrFail(List<Pending> batch, NodeException why, long nowNanos) {
    for (Pending p : batch) {
      if (nowNanos - p.retryUntilNanos < 0) awaitingLeader.add(p);
      else completer.fail(p.future, why);
    }
  }

  /**
   * A leader is known (the loop calls this when one is elected and at every tick while one is known):
   * reads waiting for one join the held reads, which the next pass sends.
   */
  void leaderKnown() {
    if (awaitingLeader.isEmpty()) return;
    held.addAll(awaitingLeader);
    awaitingLeader.clear();
  }

  boolean hasReadsAwaitingLeader() {
    return !awaitingLeader.isEmpty();
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
   * The leader changed to {@code leader} (0: none known): requests sent to the old one will never be
   * answered (the core drops them), so they wait for the new leader now, or fail if they may wait no
   * longer, instead of at their timeout. Reads that already have a read point are unaffected.
   */
  void onLeaderChange(long leader, long nowNanos) {
    NodeException e = new NodeException.Unavailable("leader changed while confirming a read point", 1);
    awaitingReadState.values().forEach(b -> awaitLeaderOrFail(b, e, nowNanos));
    awaitingReadState.clear();
    roundInFlight = false; // held reads go to the new leader in the next round
    if (leader != 0) leaderKnown();
  }

  void expire(long nowNanos) {
    held.removeIf(p -> expired(p, nowNanos));
    awaitingLeader.removeIf(p -> waitedTooLong(p, nowNanos));
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

  private boolean waitedTooLong(Pending p, long nowNanos) {
    if (nowNanos - p.retryUntilNanos < 0) return false;
    completer.fail(p.future, new NodeException.Unavailable("no leader to confirm a read point", 1));
    return true;
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
    awaitingLeader.forEach(p -> completer.fail(p.future, e));
    awaitingReadState.clear();
    awaitingApply.clear();
    held.clear();
    awaitingLeader.clear();
    roundInFlight = false;
  }

  private static long decode(byte[] context) {
    return ByteBuffer.wrap(context).getLong();
  }
}
