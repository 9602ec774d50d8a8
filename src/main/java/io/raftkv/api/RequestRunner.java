package io.raftkv.api;

import io.raftkv.api.container.RunSlots;
import io.raftkv.api.error.ErrorTranslator;
import io.raftkv.api.metrics.RequestMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>That thread may belong to the node (completer pool), to gRPC, or to the JDK's timer, and its
 * context class loader is whatever its creator had: with the node started before the deployment
 * (io.raftkv.boot.EarlyStart) that is the JVM's class path, where Weld cannot define the proxies
 * Jersey needs while it writes the response (an error answer failed with a 500 that way). So the
 * response is completed under the request thread's context class loader, the application's.
 */
public final class RequestRunner {

  private static final Logger LOG = Logger.getLogger(RequestRunner.class.getName());

  /**
   * How long {@link #answer} waits on the request thread before suspending the request: above a
   * commit's latency under load (p99 ~70 ms in docs/benchmarks.md), below an election.
   */
  static final long SYNC_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("raftkv.http.sync.wait.ms", 150));

  private final RequestMetrics metrics;

  public RequestRunner(RequestMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * Like {@link #run}, but the answer is returned (or its failure thrown) as a plain value when the
   * call finishes within {@link #SYNC_WAIT_NANOS} on the request thread: a local read at once, a write
   * or a linearizable read once its Raft round is done. Only a call still running after that (an
   * election, a slow disk) is handed to JAX-RS as a stage, and the request is suspended.
   *
   * <p>Why wait: JAX-RS suspends a request only when the resource method returns a {@link
   * CompletionStage}, and a suspended request costs the container an asynchronous start, a resume on
   * another thread (Jersey re-enters the request scope, Weld re-associates its contexts there) and an
   * asynchronous completion. A JFR profile of the leader under PUT load (docs/benchmarks.md, sixth
   * session) had 56% of its samples on the request threads and 29% on the completer threads resuming
   * requests, against 10% on the Raft loop. Waiting costs a request thread for one commit (a few ms);
   * the bound keeps an election from holding every request thread.
   *
   * @return the value, or a stage that completes later
   */
  public <T> Object answer(String operation, Supplier<? extends CompletionStage<T>> call) {
    CompletableFuture<T> result = runBriefly(operation, call);
    if (!result.isDone()) {
      return result;
    }
    Throwable failure = result.handle((value, thrown) -> thrown).join();
    if (failure == null) {
      return result.join();
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime; // ErrorMapper unwraps CompletionException as for an asynchronous failure
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new CompletionException(failure);
  }

  /**
   * {@link #run}, then waits up to {@link #SYNC_WAIT_NANOS} on the calling (request) thread for the
   * result: the returned future is done unless the call is still running after that wait.
   */
  public <T> CompletableFuture<T> runBriefly(String operation, Supplier<? extends CompletionStage<T>> call) {
    CompletableFuture<T> result = run(operation, call).toCompletableFuture();
    if (result.isDone() || SYNC_WAIT_NANOS == 0) {
      return result;
    }
    // Waiting for Raft uses no CPU: another request runs meanwhile. The slot is not taken back: the
    // answer's encoding is short, and queueing again behind new requests cost writes 37% of their
    // throughput in the A/B (docs/benchmarks.md, seventh session).
    RunSlots.HTTP.yieldSlot();
    try {
      result.get(SYNC_WAIT_NANOS, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException | CancellationException stillRunningOrFailed) {
      // the caller looks at the future itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return result;
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
    ClassLoader application = Thread.currentThread().getContextClassLoader();
    stage.whenComplete((value, failure) -> {
      Thread completing = Thread.currentThread();
      ClassLoader own = completing.getContextClassLoader();
      completing.setContextClassLoader(application);
      try {
        sample.stop(failure == null ? 200 : ErrorTranslator.statusOf(failure));
      } catch (RuntimeException metricsFailure) {
        LOG.log(Level.WARNING, "recording request metrics failed", metricsFailure);
      } finally {
        try {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(failure);
          }
        } finally {
          completing.setContextClassLoader(own);
        }
      }
    });
    return result;
  }
}
