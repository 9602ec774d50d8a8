package io.raftkv.kv.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The recent changes, bounded by event count and by bytes, oldest evicted first. Not thread-safe:
 * {@link WatchHub} guards it.
 *
 * <p>{@link #oldestRevision()} is the smallest revision R such that every event with revision ≥ R is
 * still kept. Evicting only some events of a revision (a multi-key transaction) makes that whole
 * revision unavailable. After {@link #resetAt(long)} (snapshot install or restart) history starts just
 * after the snapshot index: older revisions answer {@link HistoryCompactedException}.
 */
final class WatchHistory {
  private final int maxEvents;
  private final long maxBytes;
  private final ArrayDeque<WatchEvent> events = new ArrayDeque<>();
  private long bytes;
  private long oldestRevision = 1;

  WatchHistory(int maxEvents, long maxBytes) {
    if (maxEvents < 1 || maxBytes < 1) throw new IllegalArgumentException("history limits must be positive");
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  void append(WatchEvent event) {
    WatchEvent last = events.peekLast();
    if (last != null && event.revision() < last.revision()) {
      throw new IllegalStateException("revision " + event.revision() + " after " + last.revision());
    }
    events.addLast(event);
    bytes += event.weight();
    while (events.size() > maxEvents || (bytes > maxBytes && events.size() > 1)) {
      WatchEvent evicted = events.removeFirst();
      bytes -= evicted.weight();
      oldestRevision = Math.max(oldestRevision, evicted.revision() + 1);
    }
  }

  /** Forgets everything: the state was replaced by a snapshot at {@code snapshotIndex}. */
  void resetAt(long snapshotIndex) {
    events.clear();
    bytes = 0;
    oldestRevision = snapshotIndex + 1;
  }

  long oldestRevision() {
    return oldestRevision;
  }

  int size() {
    return events.size();
  }

  long bytes() {
    return bytes;
  }

  /** Kept events with revision > {@code afterRevision} that {@code filter} accepts, in order. */
  List<WatchEvent> after(long afterRevision, Predicate<String> filter) throws HistoryCompactedException {
    if (afterRevision + 1 < oldestRevision) throw new HistoryCompactedException(afterRevision + 1, oldestRevision);
    List<WatchEvent> out = new ArrayList<>();
    for (var it = events.descendingIterator(); it.hasNext(); ) {
      WatchEvent e = it.next();
      if (e.revision() <= afterRevision) break;
      if (filter.test(e.key())) out.add(e);
    }
    java.util.Collections.reverse(out);
    return out;
  }
}
