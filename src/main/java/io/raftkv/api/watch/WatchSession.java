package io.raftkv.api.watch;

import io.raftkv.kv.watch.WatchEvent;
import io.raftkv.kv.watch.Watcher;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One open {@code GET /watch} stream: moves its {@link Watcher}'s events to the client on a shared
 * delivery executor, never on a thread of its own. The watcher signals (from the apply thread) when it
 * has something; {@link #signal} then submits at most one drain task per session, so drains of one
 * session never overlap (events stay in order) and the executor's queue holds at most one task per
 * session. A drain sends at most {@link #BATCH} events, then yields the thread to other sessions.
 *
 * <p>The stream starts with the replay or, when there is none, a heartbeat (so the client sees the
 * response at once). A cancelled watcher (too slow, or a snapshot replaced this node's state) gets a
 * final {@code cancelled} event whose {@code id} is the last revision fully delivered, then the
 * stream ends: reconnecting with that Last-Event-ID misses nothing and repeats nothing.
 */
final class WatchSession {
  static final int BATCH = 256;

  private final Watcher watcher;
  private final EventSink out;
  private final Executor executor;
  private final Consumer<WatchSession> onClosed;
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean heartbeatDue = true;
  private volatile boolean stopping;

  WatchSession(Watcher watcher, EventSink out, Executor executor, Consumer<WatchSession> onClosed) {
    this.watcher = watcher;
    this.out = out;
    this.executor = executor;
    this.onClosed = onClosed;
  }

  /** Begins delivery (the replay, then live events). */
  void start() {
    watcher.onReady(this::signal);
  }

  /** Sends a heartbeat unless an event goes out first. Called on the heartbeat timer. */
  void heartbeat() {
    heartbeatDue = true;
    signal();
  }

  /** The server is stopping: end the stream (the client reconnects to another node). */
  void stop() {
    stopping = true;
    signal();
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Quick and non-blocking: runs on the apply thread too. */
  private void signal() {
    if (wip.getAndIncrement() == 0) submit();
  }

  private void submit() {
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException shutDown) {
      // Only while the application stops, and possibly on the apply thread inside the hub's lock, where
      // unregistering would modify the list being iterated: WatchStreams closes every session itself.
      stopping = true;
    }
  }

  private void drain() {
    int seen = wip.get();
    if (!closed.get() && deliver()) {
      submit(); // more to send: requeue behind the other sessions, wip stays > 0
      return;
    }
    if (wip.addAndGet(-seen) != 0) submit();
  }

  /** Returns true when the batch limit left events to send. */
  private boolean deliver() {
    if (stopping) return close();
    String cancelReason = watcher.cancelReason(); // read before draining: nothing queued before it is lost
    int sent = 0;
    for (WatchEvent e; sent < BATCH && (e = poll()) != null; sent++) {
      if (!out.send(WatchEventFormat.name(e), e.revision(), WatchEventFormat.data(e))) return close();
    }
    if (sent == BATCH) return true;
    if (cancelReason != null) {
      long resume = watcher.resumeRevision();
      out.send(WatchEventFormat.CANCELLED, resume - 1, WatchEventFormat.cancelled(cancelReason, resume));
      return close();
    }
    if (heartbeatDue) {
      heartbeatDue = false;
      if (sent == 0 && !out.send(WatchEventFormat.HEARTBEAT, null, WatchEventFormat.HEARTBEAT_DATA)) return close();
    }
    return false;
  }

  private WatchEvent poll() {
    try {
      return watcher.next(0, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Ends the stream once; always returns false (nothing more to deliver). */
  boolean close() {
    if (closed.compareAndSet(false, true)) {
      out.close();
      onClosed.accept(this);
    }
    return false;
  }
}
