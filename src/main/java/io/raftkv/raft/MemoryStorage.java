package io.raftkv.raft;

import java.util.Arrays;
import java.util.List;

/**
 * An in-memory {@link LogView} with mutators, for drivers and tests (the simulator wraps it to model
 * lost unsynced writes). Array-backed: term lookups and appends at the tail are O(1) amortized.
 * Not thread-safe.
 */
public final class MemoryStorage implements LogView {
  private HardState hardState = HardState.EMPTY;
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  /** ents[i] has index snapshot.index() + 1 + i. */
  private Entry[] ents = new Entry[64];
  private int size;

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  @Override
  public long firstIndex() {
    return snapshot.index() + 1;
  }

  @Override
  public long lastIndex() {
    return snapshot.index() + size;
  }

  @Override
  public long term(long index) {
    if (index < snapshot.index()) throw new CompactedException(index, firstIndex());
    if (index == snapshot.index()) return snapshot.term();
    if (index > lastIndex()) {
      throw new IllegalArgumentException("index " + index + " beyond last index " + lastIndex());
    }
    return ents[slot(index)].term();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) throw new CompactedException(lo, firstIndex());
    if (hi > lastIndex() + 1) {
      throw new IllegalArgumentException("entries [" + lo + "," + hi + ") beyond last index " + lastIndex());
    }
    if (lo >= hi) return List.of();
    int from = slot(lo);
    int to = slot(hi);
    long bytes = ents[from].sizeBytes();
    int end = from + 1;
    while (end < to) {
      bytes += ents[end].sizeBytes();
      if (bytes > maxBytes) break;
      end++;
    }
    return List.of(Arrays.copyOfRange(ents, from, end));
  }

  /** Stores the term, vote and commit index. */
  public void setHardState(HardState hs) {
    hardState = hs;
  }

  /**
   * Appends entries, replacing any existing suffix from the first entry's index on. Entries at or
   * below the snapshot index are skipped (already covered by the snapshot).
   *
   * @throws IllegalArgumentException if the entries are not contiguous or leave a gap after lastIndex
   */
  public void append(List<Entry> entries) {
    if (entries.isEmpty()) return;
    int skip = 0;
    while (skip < entries.size() && entries.get(skip).index() <= snapshot.index()) skip++;
    if (skip == entries.size()) return;
    long first = entries.get(skip).index();
    if (first > lastIndex() + 1) {
      throw new IllegalArgumentException("gap: appending " + first + " after last index " + lastIndex());
    }
    size = slot(first);
    ensureCapacity(size + entries.size() - skip);
    long expected = first;
    for (int i = skip; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (e.index() != expected) {
        throw new IllegalArgumentException("non-contiguous entries: " + e.index() + " after " + (expected - 1));
      }
      ents[size++] = e;
      expected++;
    }
  }

  /** Replaces the whole log by a snapshot (a follower installing the leader's snapshot). */
  public void applySnapshot(SnapshotMeta meta) {
    if (meta.index() < snapshot.index()) {
      throw new IllegalArgumentException("snapshot " + meta.index() + " older than " + snapshot.index());
    }
    snapshot = meta;
    Arrays.fill(ents, 0, size, null);
    size = 0;
  }

  /**
   * Drops entries up to and including {@code index}, recording snapshot metadata
   * (index, term(index), conf). A no-op if {@code index} is not above the current snapshot.
   */
  public void compact(long index, ConfState conf) {
    if (index <= snapshot.index()) return;
    if (index > lastIndex()) {
      throw new IllegalArgumentException("compact " + index + " beyond last index " + lastIndex());
    }
    long term = term(index);
    int drop = slot(index) + 1;
    System.arraycopy(ents, drop, ents, 0, size - drop);
    Arrays.fill(ents, size - drop, size, null);
    size -= drop;
    snapshot = new SnapshotMeta(index, term, conf);
  }

  /** An independent copy (entries are immutable records, so they are shared). */
  public MemoryStorage copy() {
    MemoryStorage c = new MemoryStorage();
    c.hardState = hardState;
    c.snapshot = snapshot;
    c.ents = Arrays.copyOf(ents, Math.max(64, size));
    c.size = size;
    return c;
  }

  private int slot(long index) {
    return (int) (index - snapshot.index() - 1);
  }

  private void ensureCapacity(int n) {
    if (n > ents.length) ents = Arrays.copyOf(ents, Math.max(n, ents.length * 2));
  }
}
