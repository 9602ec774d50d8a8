package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import java.util.Map;

/**
 * A state machine that also replicates the member address book, so that it travels inside snapshots
 * (a node that installs a snapshot learns addresses whose membership entries were compacted away).
 * The loop calls {@link #applyMemberChange} instead of {@link #applyNoop} for membership entries.
 */
public interface MemberAwareStateMachine extends StateMachine {

  /** Consumes {@code index} and records the change; a non-empty context is the member's address text. */
  void applyMemberChange(long index, ConfChange change);

  /** The replicated book: member id → address text (as in {@link AddressBook#encodeContext}). */
  Map<Long, String> memberAddresses();
}
