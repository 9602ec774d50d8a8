package io.raftkv.node;

import io.raftkv.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Durable snapshot files, one per snapshot index (implemented over {@code storage.SnapshotFiles}).
 * A file is complete and fsynced before it becomes visible; the log store's snapshot metadata names
 * the one to restore from.
 */
public interface SnapshotStore {

  /** Serializes {@code writer} to a new durable file for {@code meta}; may run off the loop thread. */
  Path write(SnapshotMeta meta, io.raftkv.node.StateMachine.SnapshotWriter writer) throws IOException;

  /** Takes ownership of a snapshot file received from the leader and makes it durable for {@code meta}. */
  Path adopt(SnapshotMeta meta, Path received) throws IOException;

  /** The file of the snapshot at {@code index}, if present. */
  Optional<Path> find(long index);

  /** Deletes every snapshot file older than {@code index} (after the log points at a newer one). */
  void deleteOlderThan(long index) throws IOException;
}
