package io.raftkv.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the number of client requests (proposals + reads, local or forwarded) in flight on this node.
 * Over the bound a request fails at once with 503 instead of queueing: memory stays bounded and no
 * request thread ever blocks.
 */
final class PendingLimiter {
  private final int max;
  private final AtomicInteger inFlight = new AtomicInteger();

  PendingLimiter(int max) {
    this.max = max;
  }

  /** Takes a slot released when {@code future} completes, or throws Unavailable when full. */
  <T> CompletableFuture<T> track(CompletableFuture<T> future) {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      throw new NodeException.Unavailable("overloaded: " + max + " requests already pending", 1);
    }
    future.whenComplete((v, e) -> inFlight.decrementAndGet());
    return future;
  }

  int inFlight() {
    return inFlight.get();
  }
}
