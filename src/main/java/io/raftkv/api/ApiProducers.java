package io.raftkv.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** CDI producers for the API's configuration and response executor. */
@ApplicationScoped
public class ApiProducers {

  /** Response writing is short; a few threads suffice, and the queue is bounded (overflow runs inline). */
  private static final int RESPONSE_THREADS = 4;
  private static final int RESPONSE_QUEUE = 10_000;

  @Inject
  @ConfigProperty(name = "raftkv.limits.key.bytes", defaultValue = "4096")
  int keyBytes;

  @Inject
  @ConfigProperty(name = "raftkv.limits.value.bytes", defaultValue = "1048576")
  int valueBytes;

  @Inject
  @ConfigProperty(name = "raftkv.limits.body.bytes", defaultValue = "1572864")
  int bodyBytes;

  @Produces
  @Singleton
  ApiLimits limits() {
    return new ApiLimits(keyBytes, valueBytes, bodyBytes);
  }

  /**
   * A plain pool, not the server's ManagedExecutorService: the managed one captures the context of
   * the submitting thread, and the Raft loop's completion threads have none, so hand-offs from
   * them were silently dropped and the client never got its answer.
   */
  @Produces
  @Singleton
  @ResponseExecutor
  ExecutorService responseExecutor() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(RESPONSE_THREADS, RESPONSE_THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(RESPONSE_QUEUE), task -> {
          Thread thread = new Thread(task, "raftkv-http-response-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  void closeResponseExecutor(@Disposes @ResponseExecutor ExecutorService pool) {
    pool.shutdown();
  }
}
