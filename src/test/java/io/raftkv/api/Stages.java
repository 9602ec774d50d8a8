package io.raftkv.api;

import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorTranslator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Waits for resource results in tests. */
public final class Stages {

  private Stages() {}

  /** What a resource method that may answer synchronously gave (RequestRunner#answer), as a stage. */
  public static CompletionStage<Object> answered(Supplier<Object> resourceCall) {
    Object result;
    try {
      result = resourceCall.get();
    } catch (RuntimeException thrown) {
      return CompletableFuture.failedFuture(thrown);
    }
    @SuppressWarnings("unchecked")
    CompletionStage<Object> stage = result instanceof CompletionStage<?> s
        ? (CompletionStage<Object>) s : CompletableFuture.completedFuture(result);
    return stage;
  }

  public static <T> T value(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
  }

  /** The error response a failed stage turns into; fails the test when the stage succeeded. */
  public static ApiError error(CompletionStage<?> stage) {
    try {
      Object value = value(stage);
      throw new AssertionError("expected a failure, got " + value);
    } catch (CompletionException e) {
      return ErrorTranslator.translate(e.getCause());
    } catch (RuntimeException thrown) { // a synchronous answer's failure, as ErrorMapper gets it
      return ErrorTranslator.translate(thrown);
    }
  }
}
