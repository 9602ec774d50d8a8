package io.raftkv.node;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Small future plumbing shared by the loop's request paths. */
final class Futures {
  private Futures() {}

  /** Completes {@code target} like the stage this is attached to, with unwrapped failures. */
  static <T> BiConsumer<T, Throwable> relay(CompletableFuture<T> target) {
    return (v, e) -> {
      if (e != null) target.completeExceptionally(NodeException.unwrap(e));
      else target.complete(v);
    };
  }
}
