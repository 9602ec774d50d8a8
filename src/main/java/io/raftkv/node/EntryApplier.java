package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import java.util.List;

/**
 * Applies committed entries in log order: commands to the state machine, no-ops and membership changes
 * as no-ops (plus the registry update), then completes the proposals and reads the index unlocks.
 * Loop thread only.
 */
final class EntryApplier {
  private static final byte[] NO_RESULT = new byte[0];

  private final StateMachine stateMachine;
  private final ProposalTracker proposals;
  private final ReadTracker reads;
  private final MemberRegistry members;

  EntryApplier(StateMachine stateMachine, ProposalTracker proposals, ReadTracker reads, MemberRegistry members) {
    this.stateMachine = stateMachine;
    this.proposals = proposals;
    this.reads = reads;
    this.members = members;
  }

  void apply(List<Entry> committed) {
    for (Entry e : committed) {
      long applied = stateMachine.appliedIndex();
      if (e.index() <= applied) continue; // already inside the restored snapshot
      if (e.index() != applied + 1) {
        throw new IllegalStateException("gap in applied entries: applied " + applied + ", next " + e.index());
      }
      proposals.onApplied(e.index(), e.term(), applyOne(e));
    }
    reads.onApplied(stateMachine.appliedIndex());
  }

  private byte[] applyOne(Entry e) {
    if (e.type() == EntryType.NORMAL && e.data().length > 0) {
      return stateMachine.apply(e.index(), e.data());
    }
    if (e.type() != EntryType.CONF_CHANGE) {
      stateMachine.applyNoop(e.index());
      return NO_RESULT;
    }
    ConfChange cc = ConfChange.decode(e.data());
    stateMachine.applyMemberChange(e.index(), cc);
    members.apply(e.index(), cc);
    return NO_RESULT;
  }

  long appliedIndex() {
    return stateMachine.appliedIndex();
  }
}
