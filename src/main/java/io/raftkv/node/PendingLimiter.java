package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
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
  private final NodeCounters counters;

  PendingLimiter(int max) {
    this(max, new NodeCounters());
  }

  PendingLimiter(int max, NodeCounters counters) {
    this.max = max;
    this.counters = counters;
  }

  /**
   * Takes a slot for {@code work}, or throws Unavailable when full. Returns the future to hand to the
   * caller: it completes like {@code work} but only after the slot is free again, so a client that
   * sends its next request as soon as it has an answer never finds its own old request still counted.
   */
  <T> CompletableFuture<T> track(CompletableFuture<T> work) {
    if (inFlight.incrementAndGet() > max) {
      inFlight.decrementAndGet();
      counters.limitRejected();
      throw new NodeException.Unavailable("overloaded: " + max + " requests already pending", 1);
    }
    CompletableFuture<T> visible = new CompletableFuture<>();
    work.whenComplete((v, e) -> {
      inFlight.decrementAndGet();
      Futures.relay(visible).accept(v, e);
    });
    return visible;
  }

  int inFlight() {
    return inFlight.get();
  }
}
