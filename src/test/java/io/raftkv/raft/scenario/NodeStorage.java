package io.raftkv.raft.scenario;

import io.raftkv.raft.CompactedException;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.LogView;
import io.raftkv.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable state of one scenario node: survives {@code crash}/{@code restart}. Everything the
 * driver writes goes through here so the node sees exactly what a Ready told the driver to persist.
 */
final class NodeStorage implements LogView {

  private HardState hardState = HardState.EMPTY;
  private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
  /** Entries after the snapshot: entries.get(i) has index snapshot.index() + 1 + i. */
  private final List<Entry> entries = new ArrayList<>();

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
    return snapshot.index() + entries.size();
  }

  @Override
  public long term(long index) {
    if (index < snapshot.index()) throw new CompactedException(index, firstIndex());
    if (index > lastIndex()) throw new IllegalArgumentException("index " + index + " > last " + lastIndex());
    if (index == snapshot.index()) return snapshot.term();
    return entries.get((int) (index - firstIndex())).term();
  }

  @Override
  public List<Entry> entries(long lo, long hi, long maxBytes) {
    if (lo < firstIndex()) throw new CompactedException(lo, firstIndex());
    if (hi > lastIndex() + 1 || lo > hi) {
      throw new IllegalArgumentException("bad range [" + lo + "," + hi + ") last=" + lastIndex());
    }
    List<Entry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = lo; i < hi; i++) {
      Entry e = entries.get((int) (i - firstIndex()));
      bytes += e.sizeBytes();
      if (!out.isEmpty() && bytes > maxBytes) break;
      out.add(e);
    }
    return out;
  }

  void setHardState(HardState hs) {
    hardState = hs;
  }

  /** Appends, replacing any suffix at and after the first new entry's index. */
  void append(List<Entry> newEntries) {
    if (newEntries.isEmpty()) return;
    long first = newEntries.get(0).index();
    if (first > lastIndex() + 1) {
      throw new IllegalStateException("gap: appending " + first + " after last " + lastIndex());
    }
    for (Entry e : newEntries) {
      if (e.index() <= snapshot.index()) continue;
      int pos = (int) (e.index() - firstIndex());
      while (entries.size() > pos) entries.remove(entries.size() - 1);
      entries.add(e);
    }
  }

  /** Replaces the whole log with a received snapshot. */
  void applySnapshot(SnapshotMeta meta) {
    entries.clear();
    snapshot = meta;
  }

  /** Records a local snapshot at {@code meta.index()} and discards the entries it covers. */
  void compact(SnapshotMeta meta) {
    if (meta.index() <= snapshot.index() || meta.index() > lastIndex()) {
      throw new IllegalArgumentException("cannot compact to " + meta.index() + " (snapshot "
          + snapshot.index() + ", last " + lastIndex() + ")");
    }
    entries.subList(0, (int) (meta.index() - snapshot.index())).clear();
    snapshot = meta;
  }

  /** Every entry still in the log, for {@code raft-log}. */
  List<Entry> allEntries() {
    return List.copyOf(entries);
  }
}
