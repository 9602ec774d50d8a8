package io.raftkv.node;

import io.raftkv.raft.SnapshotMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Durable snapshot files (implemented over {@code storage.SnapshotFiles} by {@link FileSnapshotStore}).
 * A file is complete and fsynced before it becomes visible; the log store's snapshot metadata names the
 * one to restore from. Writing never deletes: the loop prunes older files only after the log store
 * durably names a newer one, so a crash at any step leaves the named file in place.
 */
public interface SnapshotStore {

  /** Serializes {@code writer} into a new durable snapshot for {@code meta}; runs off the loop thread. */
  void write(SnapshotMeta meta, StateMachine.SnapshotWriter writer) throws IOException;

  /**
   * Makes a snapshot file received from the leader (exactly the file the leader's {@link #file} named)
   * durable here for {@code meta}, verifying it; takes ownership of {@code received}.
   */
  void adopt(SnapshotMeta meta, Path received) throws IOException;

  /** The file to stream to a follower for the snapshot {@code meta}, if still present. */
  Optional<Path> file(SnapshotMeta meta) throws IOException;

  /** Opens the state-machine bytes of the snapshot {@code meta} (verified). */
  InputStream openPayload(SnapshotMeta meta) throws IOException;

  /** Deletes files older than {@code current}, which the log store already names durably. */
  void pruneBelow(SnapshotMeta current) throws IOException;

  /** At start-up: deletes every file but {@code current}'s (older ones superseded, newer ones never recorded). */
  void retainOnly(SnapshotMeta current) throws IOException;

  /** Where the files live and which are there, for error messages. */
  String describe();
}
