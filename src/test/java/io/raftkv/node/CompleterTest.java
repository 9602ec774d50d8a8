package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompleterTest {

  @Test
  void callersBlockedInTheirCallbacksDoNotDelayOtherCompletions() throws Exception {
    CountDownLatch slowReaders = new CountDownLatch(1);
    try (Completer completer = new Completer("test")) {
      List<CompletableFuture<Integer>> slow = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        // What JAX-RS does on completion: write the response, here to a reader that does not read.
        f.thenRun(() -> awaitQuietly(slowReaders));
        slow.add(f);
        completer.complete(f, i);
      }
      CompletableFuture<String> other = new CompletableFuture<>();
      CompletableFuture<String> seen = other.thenApply(v -> v + " delivered");
      completer.complete(other, "answer");
      assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("answer delivered");

      CompletableFuture<Void> failed = new CompletableFuture<>();
      CompletableFuture<Throwable> seenFailure = failed.handle((v, e) -> e);
      completer.fail(failed, new IllegalStateException("boom"));
      assertThat(seenFailure.get(5, TimeUnit.SECONDS)).hasMessage("boom");
    } finally {
      slowReaders.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
