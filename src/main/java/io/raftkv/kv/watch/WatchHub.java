package io.raftkv.kv.watch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The node's change feed: the apply thread {@link #publish}es every applied change; watchers
 * {@link #register} from a revision. Registration replays history and joins the live feed under one
 * lock, so there is no gap and no duplicate between replay and live events. The lock is held only for
 * in-memory work; {@link Watcher#offer} never blocks, so the apply thread never waits on a watcher.
 */
public final class WatchHub {

  /** Limits; defaults documented in docs/api.md. */
  public record Limits(int historyEvents, long historyBytes, int queueEvents, int maxWatchers) {
    public static final Limits DEFAULT = new Limits(100_000, 64L << 20, 10_000, 1_000);
  }

  private final Limits limits;
  private final WatchHistory history;
  private final List<Watcher> watchers = new ArrayList<>();
  private long lastRevision; // of the newest event published, or the snapshot restored

  public WatchHub(Limits limits) {
    this.limits = limits;
    this.history = new WatchHistory(limits.historyEvents(), limits.historyBytes());
  }

  public Limits limits() {
    return limits;
  }

  public synchronized void publish(WatchEvent event) {
    history.append(event);
    lastRevision = event.revision();
    for (Watcher w : watchers) if (w.accepts(event.key())) w.offer(event);
  }

  /**
   * A watcher receiving every accepted event with revision > {@code afterRevision}.
   *
   * @throws HistoryCompactedException when revision afterRevision+1 is no longer kept
   */
  public synchronized Watcher register(long afterRevision, Predicate<String> filter)
      throws HistoryCompactedException, TooManyWatchersException {
    if (watchers.size() >= limits.maxWatchers()) throw new TooManyWatchersException(limits.maxWatchers());
    Watcher w = new Watcher(afterRevision, filter, history.after(afterRevision, filter), limits.queueEvents());
    watchers.add(w);
    return w;
  }

  /** A watcher receiving every accepted change applied after this call ("from now"). */
  public synchronized Watcher registerFromNow(Predicate<String> filter) throws TooManyWatchersException {
    try {
      return register(lastRevision, filter);
    } catch (HistoryCompactedException impossible) {
      throw new IllegalStateException("the newest revision is always available", impossible);
    }
  }

  public synchronized void unregister(Watcher w) {
    watchers.remove(w);
  }

  /**
   * The state was replaced by a snapshot at {@code snapshotIndex}: changes up to it were never seen
   * here, so history restarts after it and every live watcher is cancelled (to resume elsewhere).
   */
  public synchronized void resetAt(long snapshotIndex) {
    history.resetAt(snapshotIndex);
    lastRevision = snapshotIndex;
    for (Watcher w : watchers) w.cancelBetweenRevisions("snapshot installed at revision " + snapshotIndex);
  }

  public synchronized long oldestRevision() {
    return history.oldestRevision();
  }

  public synchronized int watcherCount() {
    return watchers.size();
  }
}
