package io.raftkv.raft;

import io.raftkv.raft.ProposalRejectedException.Reason;

/**
 * Leadership transfer (Raft thesis §3.10): catch the transferee up, then TIMEOUT_NOW makes it
 * campaign at once. Proposals are refused meanwhile; the attempt is abandoned after an election
 * timeout (see {@link LeaderReplication#tick()}).
 */
final class LeaderTransfer {
  private final RaftCore r;

  LeaderTransfer(RaftCore r) {
    this.r = r;
  }

  void start(long to) {
    r.requireLeader();
    if (to == r.id || !r.tracker.isVoter(to)) {
      throw new ProposalRejectedException(Reason.INVALID, r.id,
          "cannot transfer leadership to " + to + ": " + (to == r.id ? "already leader" : "not a voter"));
    }
    if (r.leadTransferee == to) return;
    r.leadTransferee = to;
    r.electionElapsed = 0; // the transfer must finish within one election timeout
    Progress pr = r.tracker.get(to);
    if (pr.match == r.log.lastIndex()) {
      sendTimeoutNow(to);
    } else {
      r.leader.sendAppends(to, true);
    }
  }

  /** Called after a successful APPEND_RESPONSE: the transferee may now be caught up. */
  void onProgress(long from, Progress pr) {
    if (from == r.leadTransferee && pr.match == r.log.lastIndex()) sendTimeoutNow(from);
  }

  void abort() {
    r.leadTransferee = 0;
  }

  /** A leader about to step down (it removed itself) lets a fully caught-up voter start at once. */
  void handOffToUpToDateVoter() {
    for (long v : r.tracker.voterIds()) {
      Progress pr = r.tracker.get(v);
      if (v != r.id && pr != null && pr.match == r.log.lastIndex()) {
        sendTimeoutNow(v);
        return;
      }
    }
  }

  private void sendTimeoutNow(long to) {
    r.leaseRevoked = true;
    r.send(r.msg(MessageType.TIMEOUT_NOW, to));
  }
}
