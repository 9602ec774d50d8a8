package io.raftkv.raft;

import io.raftkv.raft.ProposalRejectedException.Reason;

/**
 * Admission rules for single-server membership changes (Raft thesis §4.1 plus the fix from
 * Ongaro's 2015 raft-dev note): one uncommitted change at a time, and only after the leader has
 * committed an entry of its own term.
 */
final class ConfChanges {
  private ConfChanges() {}

  static void validate(RaftCore r, ConfChange cc) {
    if (!r.committedEntryInCurrentTerm()) {
      throw new ProposalRejectedException(Reason.CONF_CHANGE_PENDING, r.id,
          "leader has not committed an entry of term " + r.term + " yet");
    }
    long pending = r.membership.lastConfIndex();
    if (pending > r.log.committed()) {
      throw new ProposalRejectedException(Reason.CONF_CHANGE_PENDING, r.id,
          "conf change at index " + pending + " is not committed yet");
    }
    ConfState conf = r.membership.current();
    long id = cc.nodeId();
    String invalid = switch (cc.type()) {
      case ADD_VOTER -> conf.voters().contains(id) ? "node " + id + " is already a voter" : null;
      case ADD_LEARNER -> conf.learners().contains(id) ? "node " + id + " is already a learner"
          : conf.voters().contains(id) ? "demoting voter " + id + " to learner is not supported" : null;
      case REMOVE_NODE -> !conf.isMember(id) ? "node " + id + " is not a member"
          : conf.voters().size() == 1 && conf.voters().contains(id) ? "cannot remove the last voter" : null;
    };
    if (invalid != null) throw new ProposalRejectedException(Reason.INVALID, r.id, invalid);
  }
}
