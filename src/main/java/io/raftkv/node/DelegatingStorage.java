package io.raftkv.node;

import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import java.util.List;
import java.util.Map;

/** A {@link RaftStorage} that passes every call on; subclasses change the calls they care about. */
abstract class DelegatingStorage implements RaftStorage {
  private final RaftStorage d;

  DelegatingStorage(RaftStorage d) {
    this.d = d;
  }

  @Override public HardState hardState() { return d.hardState(); }
  @Override public SnapshotMeta snapshot() { return d.snapshot(); }
  @Override public long firstIndex() { return d.firstIndex(); }
  @Override public long lastIndex() { return d.lastIndex(); }
  @Override public long term(long index) { return d.term(index); }
  @Override public List<Entry> entries(long lo, long hi, long maxBytes) { return d.entries(lo, hi, maxBytes); }
  @Override public void save(HardState hs, List<Entry> entries, boolean sync) { d.save(hs, entries, sync); }
  @Override public void installSnapshot(SnapshotMeta meta) { d.installSnapshot(meta); }
  @Override public void compact(SnapshotMeta meta, long retainFrom) { d.compact(meta, retainFrom); }
  @Override public void saveMembers(Map<Long, String> members) { d.saveMembers(members); }
  @Override public Map<Long, String> members() { return d.members(); }
  @Override public void close() { d.close(); }
}
