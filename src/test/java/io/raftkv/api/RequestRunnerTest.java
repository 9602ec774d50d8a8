package io.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.error.ApiException;
import io.raftkv.api.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RequestRunnerTest {

  private final RecordingMetrics metrics = new RecordingMetrics();

  @Test
  void anExecutorThatRefusesTheHandOffStillAnswersTheClient() {
    for (RuntimeException refusal : new RuntimeException[] {
        new RejectedExecutionException("full"), new IllegalStateException("no application context")}) {
      Executor refusing = task -> { throw refusal; };
      CompletableFuture<String> raft = new CompletableFuture<>();
      CompletionStage<String> answer = new RequestRunner(refusing, metrics).run("put", () -> raft);
      raft.complete("done");
      assertThat(Stages.value(answer)).isEqualTo("done");
    }
  }

  @Test
  void synchronousThrowsBecomeFailedStagesAndAreTimed() {
    Supplier<CompletionStage<String>> invalid = () -> { throw ApiException.badRequest("invalid key", "empty"); };
    CompletionStage<String> answer = new RequestRunner(Runnable::run, metrics).run("get", invalid);
    assertThat(Stages.error(answer).status()).isEqualTo(400);
    assertThat(metrics.finished).containsExactly("get 400");
  }

  @Test
  void nothingIsAnsweredBeforeTheStoreCompletes() {
    CompletableFuture<String> raft = new CompletableFuture<>();
    CompletionStage<String> answer = new RequestRunner(Runnable::run, RequestMetrics.NONE).run("put", () -> raft);
    assertThat(answer.toCompletableFuture()).isNotDone();
    raft.completeExceptionally(new IllegalStateException("lost"));
    assertThat(Stages.error(answer).status()).isEqualTo(500);
  }
}
