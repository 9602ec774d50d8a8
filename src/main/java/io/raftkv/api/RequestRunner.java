package io.raftkv.api;

import io.raftkv.api.error.ErrorTranslator;
import io.raftkv.api.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs one API call asynchronously: validation failures and synchronous throws become a failed
 * stage like any Raft failure, the result is handed back on the response executor (never on the
 * thread that completed the Raft future), and every request is timed with its final status.
 */
public final class RequestRunner {

  private final Executor responseExecutor;
  private final RequestMetrics metrics;

  public RequestRunner(Executor responseExecutor, RequestMetrics metrics) {
    this.responseExecutor = responseExecutor;
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
    stage.whenCompleteAsync((value, failure) -> {
      sample.stop(failure == null ? 200 : ErrorTranslator.statusOf(failure));
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failure);
      }
    }, this::execute);
    return result;
  }

  /**
   * A saturated or shut-down executor must not leave a client waiting forever: then the response
   * is finished on the current thread.
   */
  private void execute(Runnable task) {
    try {
      responseExecutor.execute(task);
    } catch (RuntimeException e) {
      task.run();
    }
  }
}
