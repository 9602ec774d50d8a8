package io.raftkv.raft;

/** Follower side: accepting appends, heartbeats and snapshots from the leader of the current term. */
final class FollowerHandler {
  private final RaftCore r;

  FollowerHandler(RaftCore r) {
    this.r = r;
  }

  void step(Message m) {
    switch (m.type()) {
      case APPEND -> {
        heardFromLeader(m);
        handleAppend(m);
      }
      case HEARTBEAT -> {
        heardFromLeader(m);
        handleHeartbeat(m);
      }
      case SNAPSHOT -> {
        heardFromLeader(m);
        handleSnapshot(m);
      }
      case TIMEOUT_NOW -> r.election.campaign(Election.Kind.TRANSFER);
      case READ_INDEX_RESPONSE -> {
        if (!m.reject()) r.readStates.add(new ReadState(m.index(), m.context()));
      }
      default -> { }
    }
  }

  private void heardFromLeader(Message m) {
    r.electionElapsed = 0;
    r.lead = m.from();
  }

  void handleAppend(Message m) {
    if (m.index() < r.log.committed()) {
      respond(m, r.log.committed());
      return;
    }
    long lastNew = r.log.maybeAppend(m.index(), m.logTerm(), m.commit(), m.entries());
    if (lastNew >= 0) {
      respond(m, lastNew);
      return;
    }
    // Mismatch: suggest where to probe next so the leader can skip a whole term per round trip.
    long hintIndex = Math.min(m.index(), r.log.lastIndex());
    long[] hint = r.log.findConflictByTerm(hintIndex, m.logTerm());
    r.send(r.msg(MessageType.APPEND_RESPONSE, m.from()).index(m.index()).reject(true)
        .rejectHint(hint[0]).logTerm(hint[1]));
  }

  void handleHeartbeat(Message m) {
    r.log.commitTo(m.commit());
    r.send(r.msg(MessageType.HEARTBEAT_RESPONSE, m.from()).index(m.index()).context(m.context()));
  }

  void handleSnapshot(Message m) {
    SnapshotMeta s = m.snapshot();
    if (r.log.maybeRestore(s)) {
      r.membership.reset(s);
      r.applyMembership();
      respond(m, r.log.lastIndex());
    } else {
      respond(m, r.log.committed());
    }
  }

  private void respond(Message m, long index) {
    r.send(r.msg(MessageType.APPEND_RESPONSE, m.from()).index(index));
  }
}
