package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Proposals waiting for their entry to apply, keyed by log index. Raft may overwrite an uncommitted
 * entry after a leader change, so each waits for the entry applied at its index to carry the term it
 * was proposed in: another term there means the proposal was definitely not applied. Loop thread only.
 */
final class ProposalTracker {

  private record Pending(long term, CompletableFuture<byte[]> future, long deadlineNanos) {}

  private final TreeMap<Long, Pending> byIndex = new TreeMap<>();
  private final Completer completer;
  private final NodeCounters counters;
  /** Deadlines are set this long after a proposal entered the loop's queue: the start, for its latency. */
  private final long timeoutNanos;

  ProposalTracker(Completer completer) {
    this(completer, new NodeCounters(), 0);
  }

  ProposalTracker(Completer completer, NodeCounters counters, long timeoutNanos) {
    this.completer = completer;
    this.counters = counters;
    this.timeoutNanos = timeoutNanos;
  }

  void add(long index, long term, CompletableFuture<byte[]> future, long deadlineNanos) {
    Pending previous = byIndex.put(index, new Pending(term, future, deadlineNanos));
    counters.proposed();
    if (previous != null) {
      // Only possible after this node lost and regained leadership: the older entry was truncated from
      // THIS log, but another node may still hold it and, elected later, commit it. So: unknown.
      completer.fail(previous.future, new NodeException.OutcomeUnknown(
          "entry " + index + " was replaced in this node's log; another node may still commit it"));
    }
  }

  /**
   * The entry at {@code index} with {@code term} was applied with {@code result}. Waiters at lower
   * indexes that were never matched (skipped by a snapshot install) get an unknown outcome.
   */
  void onApplied(long index, long term, byte[] result) {
    Iterator<Map.Entry<Long, Pending>> it = byIndex.headMap(index, true).entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Pending> e = it.next();
      it.remove();
      Pending p = e.getValue();
      if (e.getKey() != index) {
        completer.fail(p.future, new NodeException.OutcomeUnknown(
            "entry " + e.getKey() + " was replaced by a snapshot before it was applied here"));
      } else if (p.term == term) {
        counters.proposalApplied(System.nanoTime() - (p.deadlineNanos - timeoutNanos));
        completer.complete(p.future, result);
      } else {
        completer.fail(p.future, notApplied(index));
      }
    }
  }

  /** Everything at or below {@code index} was covered by an installed snapshot: outcome unknown. */
  void onSnapshotInstalled(long index) {
    Iterator<Map.Entry<Long, Pending>> it = byIndex.headMap(index, true).entrySet().iterator();
    while (it.hasNext()) {
      Pending p = it.next().getValue();
      it.remove();
      completer.fail(p.future, new NodeException.OutcomeUnknown(
          "a snapshot replaced the log before the write's outcome was seen"));
    }
  }

  void expire(long nowNanos) {
    Iterator<Pending> it = byIndex.values().iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (nowNanos - p.deadlineNanos >= 0) {
        it.remove();
        completer.fail(p.future, new NodeException.OutcomeUnknown(
            "timed out waiting for the write to commit; it may or may not have been applied"));
      }
    }
  }

  void failAll(String why) {
    for (Pending p : byIndex.values()) completer.fail(p.future, new NodeException.OutcomeUnknown(why));
    byIndex.clear();
  }

  int size() {
    return byIndex.size();
  }

  private static NodeException notApplied(long index) {
    return new NodeException.Unavailable(
        "leadership changed; the write proposed at index " + index + " was not applied", 1);
  }
}
