package io.raftkv.node;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The futures a {@link RaftLoop} still owes an answer, registered as they are created and dropped as
 * they complete. Only used when the loop thread will not stop: close then fails them from its own
 * thread (a future completes once, so a late answer from the loop is harmless). Writes fail as
 * "outcome unknown" (they may be in the log already), everything else as unavailable. Thread-safe.
 */
final class StuckRequests {
  private final Set<CompletableFuture<?>> writes = ConcurrentHashMap.newKeySet();
  private final Set<CompletableFuture<?>> others = ConcurrentHashMap.newKeySet();

  <T> CompletableFuture<T> write(CompletableFuture<T> f) {
    return track(writes, f);
  }

  <T> CompletableFuture<T> other(CompletableFuture<T> f) {
    return track(others, f);
  }

  private static <T> CompletableFuture<T> track(Set<CompletableFuture<?>> set, CompletableFuture<T> f) {
    set.add(f);
    f.whenComplete((v, e) -> set.remove(f));
    return f;
  }

  int size() {
    return writes.size() + others.size();
  }

  void failAll() {
    NodeException unknown = new NodeException.OutcomeUnknown(
        "node stopped while its raft loop was stuck; the write may or may not have been applied");
    NodeException unavailable = new NodeException.Unavailable("node stopped while its raft loop was stuck", 1);
    for (CompletableFuture<?> f : writes) f.completeExceptionally(unknown);
    for (CompletableFuture<?> f : others) f.completeExceptionally(unavailable);
  }
}
