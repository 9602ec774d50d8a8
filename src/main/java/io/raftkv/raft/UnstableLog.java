package io.raftkv.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * Entries (and possibly a snapshot) the core has accepted but the driver has not yet persisted.
 * Entries below {@code offsetInProgress} were already handed out in a Ready and are being written;
 * they leave this structure when {@link #stableTo} confirms them.
 */
final class UnstableLog {
  private SnapshotMeta snapshot;
  private boolean snapshotInProgress;
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long offset;
  private long offsetInProgress;

  UnstableLog(long offset) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  long offset() {
    return offset;
  }

  boolean isEmpty() {
    return snapshot == null && entries.isEmpty();
  }

  SnapshotMeta snapshot() {
    return snapshot;
  }

  /** First index if known from a pending snapshot, else -1. */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.index() + 1 : -1;
  }

  /** Last index if this structure knows it, else -1. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) return offset + entries.size() - 1;
    return snapshot != null ? snapshot.index() : -1;
  }

  /** Term at {@code i} if this structure knows it, else -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      return snapshot != null && snapshot.index() == i ? snapshot.term() : -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || i > last) return -1;
    return entries.get((int) (i - offset)).term();
  }

  /** Entries not yet handed out for persistence. */
  List<Entry> nextEntries() {
    int from = (int) (offsetInProgress - offset);
    if (from >= entries.size()) return List.of();
    return List.copyOf(entries.subList(from, entries.size()));
  }

  SnapshotMeta nextSnapshot() {
    return snapshot != null && !snapshotInProgress ? snapshot : null;
  }

  boolean hasNext() {
    return offsetInProgress - offset < entries.size() || nextSnapshot() != null;
  }

  /** Marks everything currently pending as handed to the driver. */
  void acceptInProgress() {
    if (!entries.isEmpty()) offsetInProgress = offset + entries.size();
    if (snapshot != null) snapshotInProgress = true;
  }

  /** The driver persisted entries up to {@code index}; ignored if that entry was since replaced. */
  void stableTo(long index, long term) {
    long t = maybeTerm(index);
    if (t != term || index < offset) return;
    int n = (int) (index + 1 - offset);
    entries.subList(0, n).clear();
    offset = index + 1;
    offsetInProgress = Math.max(offsetInProgress, offset);
  }

  void stableSnapTo(long index) {
    if (snapshot != null && snapshot.index() == index) {
      snapshot = null;
      snapshotInProgress = false;
    }
  }

  void restore(SnapshotMeta s) {
    entries.clear();
    offset = s.index() + 1;
    offsetInProgress = offset;
    snapshot = s;
    snapshotInProgress = false;
  }

  void truncateAndAppend(List<Entry> ents) {
    long from = ents.get(0).index();
    if (from == offset + entries.size()) {
      entries.addAll(ents);
    } else if (from <= offset) {
      entries.clear();
      offset = from;
      offsetInProgress = from;
      entries.addAll(ents);
    } else {
      entries.subList((int) (from - offset), entries.size()).clear();
      offsetInProgress = Math.min(offsetInProgress, from);
      entries.addAll(ents);
    }
  }

  /** Entries [lo, hi) (all within this structure), at least one, then while under maxBytes. */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    int from = (int) (lo - offset);
    int to = (int) (hi - offset);
    long bytes = entries.get(from).sizeBytes();
    int end = from + 1;
    while (end < to) {
      bytes += entries.get(end).sizeBytes();
      if (bytes > maxBytes) break;
      end++;
    }
    return List.copyOf(entries.subList(from, end));
  }
}
