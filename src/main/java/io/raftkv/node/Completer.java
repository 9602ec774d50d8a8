package io.raftkv.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Completes client futures off the loop thread, so that whatever a caller chained onto them (JSON
 * encoding, writing the HTTP response) never runs on — and never stalls — the Raft loop.
 */
final class Completer implements AutoCloseable {
  private final ExecutorService executor;

  Completer(String name) {
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, name + "-complete");
      t.setDaemon(true);
      return t;
    });
  }

  <T> void complete(CompletableFuture<T> f, T value) {
    try {
      executor.execute(() -> f.complete(value));
    } catch (RejectedExecutionException e) {
      f.complete(value);
    }
  }

  void fail(CompletableFuture<?> f, Throwable error) {
    try {
      executor.execute(() -> f.completeExceptionally(error));
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(error);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
