package io.raftkv.raft;

/** Campaigning (PreVote and real elections), answering vote requests and counting votes. */
final class Election {
  enum Kind { PRE_ELECTION, ELECTION, TRANSFER }

  private final RaftCore r;

  Election(RaftCore r) {
    this.r = r;
  }

  /**
   * Voters campaign; learners and removed nodes do not. One exception keeps single-server changes
   * live: a node whose removal is appended but not known to be committed was a voter of the
   * configuration before that entry and may be the only one holding it (the voters of the new
   * configuration lack it and cannot win its vote: sim seeds 125 and 911174). It may campaign, lead the
   * new configuration without counting itself until the removal commits, then step down like a
   * leader that removed itself. The configuration before the newest change is the one to ask, not the
   * one at the commit index: the commit index is not synced, so after a restart it may lag far behind
   * (seed 911174: commit 1, before the change that had made this node a voter).
   */
  boolean promotable() {
    if (r.log.unstable().snapshot() != null) return false;
    if (r.tracker.isVoter(r.id)) return true;
    long lastConf = r.membership.lastConfIndex();
    return lastConf > r.log.committed() && r.membership.confAt(lastConf - 1).voters().contains(r.id);
  }

  void campaign(Kind kind) {
    if (!promotable()) return;
    MessageType type;
    long voteTerm;
    if (kind == Kind.PRE_ELECTION) {
      r.becomePreCandidate();
      type = MessageType.PRE_VOTE;
      voteTerm = r.term + 1; // the term we would campaign in; ours is not raised until a majority agrees
    } else {
      r.becomeCandidate();
      type = MessageType.VOTE;
      voteTerm = r.term;
    }
    r.tracker.recordVote(r.id, true);
    if (r.tracker.tally() == Quorum.VoteResult.WON) {
      won(kind == Kind.PRE_ELECTION);
      return;
    }
    long lastIndex = r.log.lastIndex();
    long lastTerm = r.log.lastTerm();
    for (long voter : r.tracker.voterIds()) {
      if (voter == r.id) continue;
      Message.Builder b = Message.builder(type, r.id, voter, voteTerm).index(lastIndex).logTerm(lastTerm);
      if (kind == Kind.TRANSFER) b.context(RaftCore.TRANSFER_CONTEXT);
      r.send(b);
    }
  }

  private void won(boolean preVote) {
    if (preVote) {
      campaign(Kind.ELECTION);
    } else {
      r.becomeLeader();
      r.leader.bcastAppend();
    }
  }

  /** A (pre-)vote request in a term we accept (term checks and lease checks already done). */
  void handleVoteRequest(Message m) {
    boolean pre = m.type() == MessageType.PRE_VOTE;
    MessageType respType = pre ? MessageType.PRE_VOTE_RESPONSE : MessageType.VOTE_RESPONSE;
    boolean canVote = r.vote == m.from()
        || (r.vote == 0 && r.lead == 0)
        || (pre && m.term() > r.term);
    if (canVote && r.log.isUpToDate(m.index(), m.logTerm())) {
      // A granted pre-vote answers in the future term so the pre-candidate can count it.
      r.send(Message.builder(respType, r.id, m.from(), m.term()));
      if (!pre) {
        r.electionElapsed = 0;
        r.setVote(m.from());
      }
    } else {
      r.send(r.msg(respType, m.from()).reject(true));
    }
  }

  /** Messages in the current term while (pre-)candidate. */
  void stepCandidate(Message m) {
    switch (m.type()) {
      case APPEND -> {
        r.becomeFollower(m.term(), m.from());
        r.follower.handleAppend(m);
      }
      case HEARTBEAT -> {
        r.becomeFollower(m.term(), m.from());
        r.follower.handleHeartbeat(m);
      }
      case SNAPSHOT -> {
        r.becomeFollower(m.term(), m.from());
        r.follower.handleSnapshot(m);
      }
      case PRE_VOTE_RESPONSE, VOTE_RESPONSE -> handleVoteResponse(m);
      default -> { }
    }
  }

  private void handleVoteResponse(Message m) {
    boolean pre = r.role == Role.PRE_CANDIDATE;
    if (pre != (m.type() == MessageType.PRE_VOTE_RESPONSE)) return;
    r.tracker.recordVote(m.from(), !m.reject());
    switch (r.tracker.tally()) {
      case WON -> won(pre);
      case LOST -> r.becomeFollower(r.term, 0);
      default -> { }
    }
  }
}
