package io.raftkv.api;

import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorTranslator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Waits for resource results in tests. */
public final class Stages {

  private Stages() {}

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
    }
  }
}
