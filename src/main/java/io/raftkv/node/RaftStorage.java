package io.raftkv.node;

import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.LogView;
import io.raftkv.raft.SnapshotMeta;
import java.util.List;
import java.util.Map;

/**
 * The durable log as the loop writes it (implemented over {@code storage.JeLogStore} by
 * {@link JeRaftStorage}; tests may use another). Writes happen only on the loop thread.
 */
public interface RaftStorage extends LogView, AutoCloseable {

  /** Persists entries (replacing a conflicting suffix) and the hard state in one transaction. */
  void save(HardState hardStateOrNull, List<Entry> entries, boolean sync);

  /** Records a snapshot received from the leader and drops the log it covers. */
  void installSnapshot(SnapshotMeta meta);

  /** Records a local snapshot and deletes entries below {@code retainFrom}. */
  void compact(SnapshotMeta meta, long retainFrom);

  /** Durably stores the member address book (id → encoded addresses). */
  void saveMembers(Map<Long, String> members);

  /** The address book last stored; empty if never. */
  Map<Long, String> members();

  @Override
  void close();
}
