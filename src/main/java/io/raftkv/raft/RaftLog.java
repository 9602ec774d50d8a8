package io.raftkv.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The log as the core sees it: the durable part read through {@link LogView} plus the
 * {@link UnstableLog} not yet persisted, with commit and apply positions.
 */
final class RaftLog {
  private final LogView storage;
  private final UnstableLog unstable;
  /** Told about every batch of entries that enters the log (membership is effective on append). */
  private final Consumer<List<Entry>> appendListener;
  private long committed;
  /** Highest index handed to the driver for applying. */
  private long applying;
  private long applied;

  RaftLog(LogView storage, Consumer<List<Entry>> appendListener) {
    this.storage = storage;
    this.appendListener = appendListener;
    this.unstable = new UnstableLog(storage.lastIndex() + 1);
    long snap = storage.firstIndex() - 1;
    this.committed = snap;
    this.applying = snap;
    this.applied = snap;
  }

  UnstableLog unstable() {
    return unstable;
  }

  LogView storage() {
    return storage;
  }

  long committed() {
    return committed;
  }

  long applied() {
    return applied;
  }

  long firstIndex() {
    long i = unstable.maybeFirstIndex();
    return i >= 0 ? i : storage.firstIndex();
  }

  long lastIndex() {
    long i = unstable.maybeLastIndex();
    return i >= 0 ? i : storage.lastIndex();
  }

  /** Highest index known to be durable (the leader counts only this toward its own match). */
  long persistedIndex() {
    if (unstable.isEmpty()) return lastIndex();
    return Math.min(storage.lastIndex(), unstable.offset() - 1);
  }

  /**
   * Term of entry {@code i}.
   *
   * @throws CompactedException if {@code i} was compacted away
   * @throws IllegalArgumentException if {@code i} is beyond the last index
   */
  long term(long i) {
    long t = termOrNegative(i);
    if (t >= 0) return t;
    if (i < firstIndex() - 1) throw new CompactedException(i, firstIndex());
    throw new IllegalArgumentException("index " + i + " beyond last index " + lastIndex());
  }

  /** Term of entry {@code i}, or -1 if compacted or beyond the end. */
  long termOrNegative(long i) {
    if (i < firstIndex() - 1 || i > lastIndex()) return -1;
    long t = unstable.maybeTerm(i);
    if (t >= 0) return t;
    return storage.term(i);
  }

  long lastTerm() {
    return term(lastIndex());
  }

  boolean matchTerm(long i, long t) {
    return termOrNegative(i) == t;
  }

  /** Raft's election restriction (§5.4.1): is a candidate log (lastIndex, lastTerm) at least as up to date? */
  boolean isUpToDate(long lastIdx, long lastTrm) {
    long myTerm = lastTerm();
    return lastTrm > myTerm || (lastTrm == myTerm && lastIdx >= lastIndex());
  }

  /**
   * Follower side of AppendEntries: if our entry at {@code index} has {@code logTerm}, appends the
   * entries that are new or conflicting and advances commit.
   *
   * @return the index of the last new entry, or -1 if the (index, logTerm) check failed
   */
  long maybeAppend(long index, long logTerm, long leaderCommit, List<Entry> ents) {
    if (!matchTerm(index, logTerm)) return -1;
    long lastNew = index + ents.size();
    long conflict = findConflict(ents);
    if (conflict != 0) {
      if (conflict <= committed) {
        throw Invariants.violated("entry " + conflict + " conflicts with committed entry (commit " + committed + ")");
      }
      append(ents.subList((int) (conflict - index - 1), ents.size()));
    }
    commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Index of the first entry not already in the log with the same term, or 0. */
  private long findConflict(List<Entry> ents) {
    for (Entry e : ents) {
      if (!matchTerm(e.index(), e.term())) return e.index();
    }
    return 0;
  }

  /**
   * etcd's findConflictByTerm: the largest index &lt;= {@code index} whose term is &lt;= {@code term},
   * with its term. Used on both sides of a rejected append to skip whole terms at once.
   */
  long[] findConflictByTerm(long index, long term) {
    if (index > lastIndex()) return new long[] {index, 0};
    for (; index > 0; index--) {
      long ours = termOrNegative(index);
      if (ours < 0) return new long[] {index, 0};
      if (ours <= term) return new long[] {index, ours};
    }
    return new long[] {0, 0};
  }

  /** Appends contiguous entries starting at most one past the end, truncating any suffix they replace. */
  long append(List<Entry> ents) {
    if (ents.isEmpty()) return lastIndex();
    long after = ents.get(0).index() - 1;
    if (after < committed) throw Invariants.violated("append after " + after + " would truncate committed " + committed);
    if (after > lastIndex()) throw Invariants.violated("append at " + (after + 1) + " leaves a gap after " + lastIndex());
    long expected = after + 1;
    for (Entry e : ents) {
      if (e.index() != expected) throw Invariants.violated("appended entries not contiguous at " + e.index());
      expected++;
    }
    unstable.truncateAndAppend(ents);
    appendListener.accept(ents);
    return lastIndex();
  }

  /** Entries [lo, hi) across the durable and unstable parts, size-limited as {@link LogView#entries}. */
  List<Entry> slice(long lo, long hi, long maxBytes) {
    if (lo >= hi) return List.of();
    if (lo < firstIndex()) throw new CompactedException(lo, firstIndex());
    if (hi > lastIndex() + 1) {
      throw Invariants.violated("slice [" + lo + "," + hi + ") beyond last index " + lastIndex());
    }
    long off = unstable.offset();
    if (lo >= off) return unstable.slice(lo, hi, maxBytes);
    List<Entry> stored = storage.entries(lo, Math.min(hi, off), maxBytes);
    if (hi <= off || stored.size() < off - lo) return stored;
    long bytes = 0;
    for (Entry e : stored) bytes += e.sizeBytes();
    List<Entry> more = unstable.slice(off, hi, Math.max(0, maxBytes - bytes));
    if (bytes + more.get(0).sizeBytes() > maxBytes) return stored;
    ArrayList<Entry> all = new ArrayList<>(stored.size() + more.size());
    all.addAll(stored);
    all.addAll(more);
    return all;
  }

  boolean hasNextCommittedEntries() {
    return committed > applying;
  }

  /** Committed entries not yet handed out for applying, at most maxBytes (at least one). */
  List<Entry> nextCommittedEntries(long maxBytes) {
    long lo = Math.max(applying + 1, firstIndex());
    if (lo > committed) return List.of();
    return slice(lo, committed + 1, maxBytes);
  }

  void markApplying(long index) {
    if (index > committed) throw Invariants.violated("applying " + index + " beyond commit " + committed);
    applying = Math.max(applying, index);
  }

  void appliedTo(long index) {
    if (index > committed) throw Invariants.violated("applied " + index + " > commit " + committed);
    if (index < applied) throw Invariants.violated("applied index decreased from " + applied + " to " + index);
    applied = index;
    applying = Math.max(applying, index);
  }

  /** Raises commit; lower values are ignored (a stale leader hint), higher than the log is fatal. */
  void commitTo(long index) {
    if (index <= committed) return;
    if (index > lastIndex()) throw Invariants.violated("commit " + index + " beyond last index " + lastIndex());
    committed = index;
  }

  /** Installs a snapshot newer than anything committed; returns false if it brings nothing new. */
  boolean maybeRestore(SnapshotMeta s) {
    if (s.index() <= committed) return false;
    if (matchTerm(s.index(), s.term())) {
      commitTo(s.index());
      return false;
    }
    unstable.restore(s);
    committed = s.index();
    applying = Math.max(applying, s.index());
    return true;
  }

  void stableTo(long index, long term) {
    unstable.stableTo(index, term);
  }

  void stableSnapTo(long index) {
    unstable.stableSnapTo(index);
  }
}
