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
 * flushed it. With {@code persistVote} false the store models a buggy driver that never makes the vote
 * durable, so a restarted node forgets whom it voted for in its current term.
 */
final class SimStorage implements LogView {

  private final boolean persistVote;
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  private byte[] snapshotData = new byte[0];
  /** entries.get(i) has index snapshot.index() + 1 + i. */
  private final ArrayList<Entry> entries = new ArrayList<>();
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
    return snapshot.index() + 1;
  }

  @Override
  public long lastIndex() {
    return snapshot.index() + entries.size();
  }

  @Override
  public long term(long index) {
    if (index < snapshot.index()) throw new CompactedException(index, firstIndex());
    if (index > lastIndex()) {
      throw new IllegalArgumentException("index " + index + " beyond last index " + lastIndex());
    }
    return index == snapshot.index() ? snapshot.term() : entries.get(offset(index)).term();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) throw new CompactedException(lo, firstIndex());
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
    long first = newEntries.get(0).index();
    if (first > lastIndex() + 1) {
      throw new IllegalStateException("append at " + first + " but log is (" + snapshot.index() + ","
          + lastIndex() + "]");
    }
    int keep = offset(first);
    entries.subList(keep, entries.size()).clear();
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
    if (hardState.commit() < meta.index()) {
      hardState = new HardState(hardState.term(), hardState.vote(), meta.index());
    }
    flush();
  }

  /** Records a local snapshot at {@code meta.index()} and drops the entries it covers (synced). */
  void compact(SnapshotMeta meta, byte[] data) {
    if (meta.index() <= snapshot.index() || meta.index() > lastIndex()) {
      throw new IllegalStateException("cannot compact to " + meta.index());
    }
    entries.subList(0, offset(meta.index()) + 1).clear();
    snapshot = meta;
    snapshotData = data;
    flush();
  }

  /** The machine lost power: whatever was not synced is gone. */
  void crash() {
    hardState = durableHardState;
  }

  private int offset(long index) {
    return (int) (index - snapshot.index() - 1);
  }
}
