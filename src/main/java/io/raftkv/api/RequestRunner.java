package io.raftkv.api;

import io.raftkv.api.error.ErrorTranslator;
import io.raftkv.api.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one API call asynchronously: validation failures and synchronous throws become a failed
 * stage like any Raft failure, and every request is timed with its final status.
 *
 * <p>The stage handed to JAX-RS is completed directly on the thread that completed the Raft future
 * (the node's completer pool, never the Raft loop thread). An earlier version hopped onto the
 * container's ManagedExecutorService first; from a non-container thread that hop could fail
 * silently and leave the HTTP request hanging forever with the write already applied. Whatever the
 * metrics do, the response stage is always completed.
 */
public final class RequestRunner {

  private static final Logger LOG = Logger.getLogger(RequestRunner.class.getName());

  private final RequestMetrics metrics;

  public RequestRunner(RequestMetrics metrics) {
    this.metrics = metrics;
  }

  public <T> CompletionStage<T> run(String operation, Supplier<? extends CompletionStage<T>> call) {
    RequestMetrics.Sample sample = metrics.start(operation);
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      try {
        sample.stop(failure == null ? 200 : ErrorTranslator.statusOf(failure));
      } catch (RuntimeException metricsFailure) {
        LOG.log(Level.WARNING, "recording request metrics failed", metricsFailure);
      } finally {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      }
    });
    return result;
  }
}
