package io.raftkv.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes client futures off the loop thread, so that whatever a caller chained onto them (JSON
 * encoding, writing the HTTP response) never runs on — and never stalls — the Raft loop.
 *
 * <p>Whatever a caller chained runs on the completing thread, and JAX-RS writes the response there: a
 * large value going to a client that reads slowly blocks that thread. So each completion runs on a
 * pool of up to {@link #MAX_THREADS} threads: a few stuck writers hold a few threads while the others
 * keep completing (with two threads, two slow readers stalled every completion on the node). Threads
 * are started as needed and end after {@link #IDLE_SECONDS} idle. Completions wait in a bounded
 * queue only while every thread is busy; beyond it they run on the caller.
 */
final class Completer implements AutoCloseable {
  static final int MAX_THREADS = 64;
  private static final int IDLE_SECONDS = 30;
  private static final int QUEUE_LIMIT = 65_536;

  private final ThreadPoolExecutor executor;

  Completer(String name) {
    AtomicInteger count = new AtomicInteger();
    // core == max: a submit starts a new thread while fewer than MAX_THREADS exist, so blocked threads
    // never hold back queued work for long; idle ones time out.
    this.executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(QUEUE_LIMIT), r -> {
          Thread t = new Thread(r, name + "-complete-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
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
