package io.raftkv.node;

import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.JeLogStore;
import java.util.List;
import java.util.Map;

/** {@link RaftStorage} over the BDB JE log store. */
public final class JeRaftStorage implements RaftStorage {
  private final JeLogStore store;

  public JeRaftStorage(JeLogStore store) {
    this.store = store;
  }

  @Override public HardState hardState() { return store.hardState(); }
  @Override public SnapshotMeta snapshot() { return store.snapshot(); }
  @Override public long firstIndex() { return store.firstIndex(); }
  @Override public long lastIndex() { return store.lastIndex(); }
  @Override public long term(long index) { return store.term(index); }
  @Override public List<Entry> entries(long lo, long hi, long maxBytes) { return store.entries(lo, hi, maxBytes); }
  @Override public void save(HardState hs, List<Entry> entries, boolean sync) { store.save(hs, entries, sync); }
  @Override public void installSnapshot(SnapshotMeta meta) { store.installSnapshot(meta); }
  @Override public void compact(SnapshotMeta meta, long retainFrom) { store.compact(meta, retainFrom); }
  @Override public void saveMembers(Map<Long, String> members) { store.saveMembers(members); }
  @Override public Map<Long, String> members() { return store.members(); }
  @Override public void close() { store.close(); }
}
