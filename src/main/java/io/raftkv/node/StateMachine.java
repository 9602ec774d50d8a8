package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The replicated application state. Called only from the Raft loop thread, in log order. Apply must be
 * deterministic: the same entries produce the same state and results on every node.
 */
public interface StateMachine {

  /** Applies the NORMAL entry's command at {@code index}; returns the encoded result for the proposer. */
  byte[] apply(long index, byte[] command);

  /** Records that {@code index} was consumed by a no-op entry (keeps the applied index exact). */
  void applyNoop(long index);

  /**
   * Consumes the membership entry at {@code index} and records the change in the replicated address
   * book, so that addresses travel inside snapshots (a node that installs a snapshot learns addresses
   * whose membership entries were compacted away). A non-empty context is the member's address text.
   */
  void applyMemberChange(long index, ConfChange change);

  /** The replicated address book: member id → address text (as in {@link AddressBook#encodeContext}). */
  Map<Long, String> memberAddresses();

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
