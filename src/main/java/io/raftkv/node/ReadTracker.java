package io.raftkv.node;

import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.RaftNode;
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
 * Reads waiting for a safe read point. All reads that arrive in one loop pass share one ReadIndex
 * request (one context id); once the core answers with a {@link ReadState} they wait until the state
 * machine has applied that index, then complete with it. Loop thread only.
 */
final class ReadTracker {

  record Pending(CompletableFuture<Long> future, long deadlineNanos) {}

  private final Map<Long, List<Pending>> awaitingReadState = new HashMap<>();
  private final TreeMap<Long, List<Pending>> awaitingApply = new TreeMap<>();
  private final Completer completer;
  // Random start: a late answer to a request sent before a restart must not match a new batch.
  private long nextContext = java.util.concurrent.ThreadLocalRandom.current().nextLong();

  ReadTracker(Completer completer) {
    this.completer = completer;
  }

  /**
   * Asks the core for one read point for the whole batch; with no leader the batch fails at once.
   * Returns the batch's context, or null if nothing was asked.
   */
  byte[] request(RaftNode core, List<Pending> batch, boolean lease) {
    if (batch.isEmpty()) return null;
    byte[] ctx = newBatch(batch);
    try {
      core.readIndex(ctx, lease);
    } catch (ProposalRejectedException e) {
      dropBatch(ctx, new NodeException.Unavailable("no leader to confirm a read point: " + e.getMessage(), 1));
    }
    return ctx;
  }

  /** The core's answer to {@code context} must not be used (the lease expired): ignore it, ask by a quorum round. */
  void retryWithoutLease(RaftNode core, byte[] context) {
    List<Pending> batch = awaitingReadState.remove(decode(context));
    if (batch != null) request(core, batch, false);
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
  }

  void expire(long nowNanos) {
    expireIn(awaitingReadState.values().iterator(), nowNanos);
    expireIn(awaitingApply.values().iterator(), nowNanos);
  }

  private void expireIn(Iterator<List<Pending>> batches, long nowNanos) {
    while (batches.hasNext()) {
      List<Pending> batch = batches.next();
      batch.removeIf(p -> {
        if (nowNanos - p.deadlineNanos < 0) return false;
        completer.fail(p.future, new NodeException.Unavailable("timed out waiting for a read point", 1));
        return true;
      });
      if (batch.isEmpty()) batches.remove();
    }
  }

  void failAll(String why) {
    NodeException e = new NodeException.Unavailable(why, 1);
    awaitingReadState.values().forEach(b -> b.forEach(p -> completer.fail(p.future, e)));
    awaitingApply.values().forEach(b -> b.forEach(p -> completer.fail(p.future, e)));
    awaitingReadState.clear();
    awaitingApply.clear();
  }

  private static long decode(byte[] context) {
    return ByteBuffer.wrap(context).getLong();
  }
}
