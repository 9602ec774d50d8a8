package io.raftkv.sim;

import io.raftkv.raft.CompactedException;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.LogView;
import io.raftkv.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's "disk": the log, hard state and latest snapshot, surviving crashes of its {@link SimNode}.
 *
 * <p>Entries are always written synced (a Ready with entries has {@code mustSync}); a hard state written
 * without sync only lives in the page cache and is lost by {@link #crash()} unless a later synced write
 * flushed it. Like the production store, compaction may keep a tail of entries below the snapshot for
 * slow followers. With {@code persistVote} false the store models a buggy driver that never makes the
 * vote durable, so a restarted node forgets whom it voted for in its current term.
 */
final class SimStorage implements LogView {

  private final boolean persistVote;
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  private byte[] snapshotData = new byte[0];
  /** entries.get(i) has index first + i; first <= snapshot.index() + 1. */
  private final ArrayList<Entry> entries = new ArrayList<>();
  private long first = 1;
  /** Term of the entry at first - 1. */
  private long termBeforeFirst;
  private HardState hardState = HardState.EMPTY;
  private HardState durableHardState = HardState.EMPTY;

  SimStorage(boolean persistVote) {
    this.persistVote = persistVote;
  }

  @Override
  public HardState hardState() {
    return hardState;
  }

  @Override
  public SnapshotMeta snapshot() {
    return snapshot;
  }

  byte[] snapshotData() {
    return snapshotData;
  }

  @Override
  public long firstIndex() {
    return first;
  }

  @Override
  public long lastIndex() {
    return first + entries.size() - 1;
  }

  @Override
  public long term(long index) {
    if (index == snapshot.index()) return snapshot.term();
    if (index == first - 1) return termBeforeFirst;
    if (index < first) throw new CompactedException(index, first);
    if (index > lastIndex()) {
      throw new IllegalArgumentException("index " + index + " beyond last index " + lastIndex());
    }
    return entries.get(offset(index)).term();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < first) throw new CompactedException(lo, first);
    if (hi > lastIndex() + 1) {
      throw new IllegalArgumentException("entries [" + lo + "," + hi + ") beyond last index " + lastIndex());
    }
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = lo; i < hi; i++) {
      Entry e = entries.get(offset(i));
      bytes += e.sizeBytes();
      if (!out.isEmpty() && bytes > maxBytes) break;
      out.add(e);
    }
    return out;
  }

  /**
   * Appends, replacing any suffix at or after the first new entry; entries already covered by the
   * snapshot are skipped. Returns the entries actually written.
   */
  List<Entry> append(List<Entry> newEntries) {
    int skip = 0;
    while (skip < newEntries.size() && newEntries.get(skip).index() <= snapshot.index()) skip++;
    newEntries = newEntries.subList(skip, newEntries.size());
    if (newEntries.isEmpty()) return newEntries;
    long at = newEntries.get(0).index();
    if (at > lastIndex() + 1) {
      throw new IllegalStateException("append at " + at + " but log is [" + first + "," + lastIndex() + "]");
    }
    entries.subList(offset(at), entries.size()).clear();
    entries.addAll(newEntries);
    return newEntries;
  }

  void setHardState(HardState hs, boolean sync) {
    hardState = hs;
    if (sync) flush();
  }

  /** Everything written so far becomes durable (an fsync). */
  void flush() {
    durableHardState = persistVote
        ? hardState
        : new HardState(hardState.term(), 0, hardState.commit());
  }

  /** Replaces the whole log by a received snapshot (synced). */
  void applySnapshot(SnapshotMeta meta, byte[] data) {
    snapshot = meta;
    snapshotData = data;
    entries.clear();
    first = meta.index() + 1;
    termBeforeFirst = meta.term();
    if (hardState.commit() < meta.index()) {
      hardState = new HardState(hardState.term(), hardState.vote(), meta.index());
    }
    flush();
  }

  /**
   * Records a local snapshot at {@code meta.index()} and drops the entries it covers except the last
   * {@code retain} of them (synced).
   */
  void compact(SnapshotMeta meta, byte[] data, int retain) {
    if (meta.index() <= snapshot.index() || meta.index() > lastIndex()) {
      throw new IllegalStateException("cannot compact to " + meta.index());
    }
    long newFirst = Math.max(first, meta.index() + 1 - retain);
    termBeforeFirst = term(newFirst - 1);
    entries.subList(0, offset(newFirst)).clear();
    first = newFirst;
    snapshot = meta;
    snapshotData = data;
    flush();
  }

  /** The machine lost power: whatever was not synced is gone. */
  void crash() {
    hardState = durableHardState;
  }

  private int offset(long index) {
    return (int) (index - first);
  }
}
