package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.JeLogStore;
import java.util.List;
import java.util.Map;

/** {@link RaftStorage} over the BDB JE log store. */
public final class JeRaftStorage implements RaftStorage {
  private final JeLogStore store;
  private final NodeCounters counters;

  public JeRaftStorage(JeLogStore store) {
    this(store, new NodeCounters());
  }

  /** Counts entries and bytes written and times synced writes into {@code counters}. */
  public JeRaftStorage(JeLogStore store, NodeCounters counters) {
    this.store = store;
    this.counters = counters;
  }

  @Override public HardState hardState() { return store.hardState(); }
  @Override public SnapshotMeta snapshot() { return store.snapshot(); }
  @Override public long firstIndex() { return store.firstIndex(); }
  @Override public long lastIndex() { return store.lastIndex(); }
  @Override public long term(long index) { return store.term(index); }
  @Override public List<Entry> entries(long lo, long hi, long maxBytes) { return store.entries(lo, hi, maxBytes); }

  /**
   * A synced save is timed whole: the puts cost microseconds, the commit's fsync is nearly all of it
   * (JeLogStore hides the commit inside its transaction helper). Bytes are the entries' payloads plus
   * their fixed per-entry overhead ({@link Entry#sizeBytes()}), not JE's record headers.
   */
  @Override
  public void save(HardState hs, List<Entry> entries, boolean sync) {
    boolean timed = sync && (hs != null || !entries.isEmpty()); // the store writes nothing otherwise
    long began = timed ? System.nanoTime() : 0;
    store.save(hs, entries, sync);
    if (timed) counters.fsync(System.nanoTime() - began);
    if (entries.isEmpty()) return;
    long bytes = 0;
    for (int i = 0; i < entries.size(); i++) bytes += entries.get(i).sizeBytes();
    counters.logWritten(entries.size(), bytes);
  }

  @Override public void installSnapshot(SnapshotMeta meta) { store.installSnapshot(meta); }
  @Override public void compact(SnapshotMeta meta, long retainFrom) { store.compact(meta, retainFrom); }
  @Override public void saveMembers(Map<Long, String> members) { store.saveMembers(members); }
  @Override public Map<Long, String> members() { return store.members(); }
  @Override public void close() { store.close(); }
}
