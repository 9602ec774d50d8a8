package io.raftkv.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The replicated application state. Called only from the Raft loop thread, in log order. Apply must be
 * deterministic: the same entries produce the same state and results on every node.
 */
public interface StateMachine {

  /** Applies the NORMAL entry's command at {@code index}; returns the encoded result for the proposer. */
  byte[] apply(long index, byte[] command);

  /** Records that {@code index} was consumed by a no-op or membership entry (keeps the applied index exact). */
  void applyNoop(long index);

  /** Index of the last applied entry. */
  long appliedIndex();

  /**
   * Captures a consistent point-in-time view cheaply on the loop thread; the returned writer serializes
   * it later on another thread while apply continues.
   */
  SnapshotWriter captureSnapshot();

  /** Replaces the whole state with a snapshot's contents. */
  void restore(InputStream in) throws IOException;

  /** Serializes a captured view. */
  interface SnapshotWriter {
    long index();

    void writeTo(OutputStream out) throws IOException;
  }
}
