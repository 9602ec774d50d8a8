package io.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.error.ApiException;
import io.raftkv.api.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RequestRunnerTest {

  private final RecordingMetrics metrics = new RecordingMetrics();

  @Test
  void theAnswerIsGivenOnTheThreadThatCompletedTheStore() throws InterruptedException {
    CompletableFuture<String> raft = new CompletableFuture<>();
    CompletionStage<String> answer = new RequestRunner(metrics).run("put", () -> raft);
    String[] finishedOn = new String[1];
    CompletionStage<String> observed = answer.thenApply(v -> {
      finishedOn[0] = Thread.currentThread().getName();
      return v;
    });
    Thread completer = new Thread(() -> raft.complete("done"), "raft-completer");
    completer.start();
    completer.join(5_000);
    assertThat(Stages.value(observed)).isEqualTo("done");
    assertThat(finishedOn[0]).isEqualTo("raft-completer");
  }

  @Test
  void theAnswerIsWrittenUnderTheRequestThreadsContextClassLoaderAndTheCompletersIsRestored() throws Exception {
    ClassLoader application = new java.net.URLClassLoader(new java.net.URL[0], getClass().getClassLoader());
    ClassLoader completersOwn = ClassLoader.getSystemClassLoader();
    CompletableFuture<String> raft = new CompletableFuture<>();
    Thread request = Thread.currentThread();
    ClassLoader before = request.getContextClassLoader();
    CompletionStage<String> answer;
    request.setContextClassLoader(application);
    try {
      answer = new RequestRunner(metrics).run("put", () -> raft);
    } finally {
      request.setContextClassLoader(before);
    }
    ClassLoader[] whileAnswering = new ClassLoader[1];
    CompletionStage<String> observed = answer.thenApply(v -> {
      whileAnswering[0] = Thread.currentThread().getContextClassLoader();
      return v;
    });
    ClassLoader[] afterwards = new ClassLoader[1];
    Thread completer = new Thread(() -> {
      raft.complete("done");
      afterwards[0] = Thread.currentThread().getContextClassLoader();
    }, "raft-completer");
    completer.setContextClassLoader(completersOwn);
    completer.start();
    completer.join(5_000);
    assertThat(Stages.value(observed)).isEqualTo("done");
    assertThat(whileAnswering[0]).isSameAs(application);
    assertThat(afterwards[0]).isSameAs(completersOwn);
  }

  @Test
  void synchronousThrowsBecomeFailedStagesAndAreTimed() {
    Supplier<CompletionStage<String>> invalid = () -> { throw ApiException.badRequest("invalid key", "empty"); };
    CompletionStage<String> answer = new RequestRunner(metrics).run("get", invalid);
    assertThat(Stages.error(answer).status()).isEqualTo(400);
    assertThat(metrics.finished).containsExactly("get 400");
  }

  @Test
  void nothingIsAnsweredBeforeTheStoreCompletes() {
    CompletableFuture<String> raft = new CompletableFuture<>();
    CompletionStage<String> answer = new RequestRunner(RequestMetrics.NONE).run("put", () -> raft);
    assertThat(answer.toCompletableFuture()).isNotDone();
    raft.completeExceptionally(new IllegalStateException("lost"));
    assertThat(Stages.error(answer).status()).isEqualTo(500);
  }

  @Test
  void aCallFinishedOnTheRequestThreadIsAnsweredAsAPlainValueSoTheRequestIsNeverSuspended() {
    Object answer = new RequestRunner(metrics).answer("get", () -> CompletableFuture.completedFuture("local"));
    assertThat(answer).isEqualTo("local");
    assertThat(metrics.finished).containsExactly("get 200");
  }

  @Test
  void aCallStillRunningIsAnsweredAsAStage() {
    CompletableFuture<String> raft = new CompletableFuture<>();
    Object answer = new RequestRunner(metrics).answer("get", () -> raft);
    assertThat(answer).isInstanceOf(CompletionStage.class);
    raft.complete("later");
    assertThat(Stages.value((CompletionStage<?>) answer)).isEqualTo("later");
  }

  @Test
  void aRefusalOnTheRequestThreadIsThrownForTheExceptionMapperWithItsStatusRecorded() {
    RequestRunner runner = new RequestRunner(metrics);
    Supplier<CompletionStage<String>> refused = () -> {
      throw ApiException.badRequest("invalid key", "too long");
    };
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> runner.answer("get", refused)))
        .isInstanceOf(ApiException.class);
    assertThat(metrics.finished).containsExactly("get 400");
  }

  @Test
  void aCallThatFinishesWithinTheWaitIsAnsweredAsAPlainValueWithoutSuspending() throws InterruptedException {
    CompletableFuture<String> raft = new CompletableFuture<>();
    Thread committer = new Thread(() -> {
      try {
        Thread.sleep(20); // a commit: shorter than the wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      raft.complete("committed");
    });
    committer.start();
    Object answer = new RequestRunner(metrics).answer("put", () -> raft);
    committer.join(5_000);
    assertThat(answer).isEqualTo("committed");
    assertThat(metrics.finished).containsExactly("put 200");
  }

  @Test
  void aFailureWithinTheWaitIsThrownOnTheRequestThread() {
    CompletableFuture<String> raft = new CompletableFuture<>();
    new Thread(() -> raft.completeExceptionally(ApiException.badRequest("bad", "no"))).start();
    Object[] answer = new Object[1];
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> answer[0] = new RequestRunner(metrics).answer("put", () -> raft));
    assertThat(thrown).isInstanceOf(ApiException.class);
    assertThat(answer[0]).isNull();
  }

  @Test
  void aCallStillRunningAfterTheWaitIsHandedOverAsAStageThatCompletesLater() {
    CompletableFuture<String> raft = new CompletableFuture<>();
    long started = System.nanoTime();
    Object answer = new RequestRunner(metrics).answer("put", () -> raft);
    long waitedNanos = System.nanoTime() - started;
    assertThat(answer).isInstanceOf(CompletionStage.class);
    assertThat(waitedNanos).isGreaterThanOrEqualTo(RequestRunner.SYNC_WAIT_NANOS);
    @SuppressWarnings("unchecked")
    CompletionStage<String> stage = (CompletionStage<String>) answer;
    assertThat(stage.toCompletableFuture().isDone()).isFalse();
    raft.complete("after an election");
    assertThat(Stages.value(stage)).isEqualTo("after an election");
    assertThat(metrics.finished).containsExactly("put 200");
  }
}
