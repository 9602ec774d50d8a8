package io.raftkv.kv.watch;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One subscriber: a replay of history followed by live events in a bounded queue. The apply thread only
 * ever calls {@link #offer}, which never blocks: when the queue is full the watcher is cancelled (it is
 * too slow) instead of growing memory.
 *
 * <p>On cancellation {@link #resumeRevision()} names the first revision not fully delivered; events of
 * that revision already queued are withheld, so every revision below it was delivered completely and a
 * client resuming with {@code fromRevision=resumeRevision} (or {@code Last-Event-ID: resumeRevision-1})
 * misses nothing and sees nothing twice.
 */
public final class Watcher {
  private static final Runnable NO_SIGNAL = () -> {};

  private final long afterRevision;
  private final Predicate<String> filter;
  private final ArrayDeque<WatchEvent> replay;
  private final ArrayBlockingQueue<WatchEvent> live;
  private volatile String cancelReason;
  private volatile long resumeRevision = Long.MAX_VALUE;
  private long lastQueued; // apply thread (under the hub's lock)
  private volatile Runnable onReady = NO_SIGNAL;

  Watcher(long afterRevision, Predicate<String> filter, List<WatchEvent> replay, int capacity) {
    this.afterRevision = afterRevision;
    this.lastQueued = replay.isEmpty() ? afterRevision : replay.get(replay.size() - 1).revision();
    this.filter = filter;
    this.replay = new ArrayDeque<>(replay);
    this.live = new ArrayBlockingQueue<>(capacity);
  }

  boolean accepts(String key) {
    return filter.test(key);
  }

  /**
   * Called by the apply thread; never blocks. Events at or below the start revision are dropped: a node
   * whose applied state is behind the revision a client resumes from (a lagging follower, a restarted
   * node replaying its log) applies them after the registration, and the client already has them.
   */
  void offer(WatchEvent event) {
    if (cancelReason != null || event.revision() <= afterRevision) return;
    if (live.offer(event)) lastQueued = event.revision();
    else cancel("slow watcher: " + live.size() + " events queued and not read", event.revision());
    onReady.run();
  }

  /**
   * {@code signal} runs (on the apply thread, so it must be quick and never block) whenever an event
   * is queued or the watcher is cancelled; a deliverer uses it instead of a thread blocked in
   * {@link #next}. It also runs once at once, for the replay and anything queued before it was set.
   */
  public void onReady(Runnable signal) {
    onReady = signal;
    signal.run();
  }

  /** Cancels between two applied entries: everything queued so far is complete. */
  void cancelBetweenRevisions(String reason) {
    cancel(reason, lastQueued + 1);
  }

  void cancel(String reason, long firstUndelivered) {
    if (cancelReason != null) return;
    resumeRevision = firstUndelivered;
    cancelReason = reason;
    onReady.run();
  }

  /**
   * The next event, waiting at most {@code timeout}; {@code null} when none arrived in time or the
   * watcher is cancelled and drained (check {@link #cancelReason()}).
   */
  public WatchEvent next(long timeout, TimeUnit unit) throws InterruptedException {
    WatchEvent event = replay.pollFirst();
    if (event == null) event = cancelReason != null ? live.poll() : live.poll(timeout, unit);
    if (event == null || event.revision() >= resumeRevision) return null;
    return event;
  }

  /** Why the server stopped this watcher, or {@code null} while it is live. */
  public String cancelReason() {
    return cancelReason;
  }

  /** The revision to resume from after a cancellation. */
  public long resumeRevision() {
    return resumeRevision;
  }
}
