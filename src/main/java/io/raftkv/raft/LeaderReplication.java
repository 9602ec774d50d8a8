package io.raftkv.raft;

import io.raftkv.raft.ProposalRejectedException.Reason;
import io.raftkv.raft.Status.PeerProgress.State;
import java.util.List;
import java.util.Map;

/**
 * Leader side of log replication: proposals, APPEND/SNAPSHOT/HEARTBEAT fan-out driven by each
 * follower's {@link Progress}, response handling with fast back-off, and commit by counting.
 */
final class LeaderReplication {
  private final RaftCore r;
  /** Proposals or commit advances since the last Ready: broadcast once per Ready, not once per event. */
  private boolean broadcastPending;

  LeaderReplication(RaftCore r) {
    this.r = r;
  }

  void reset() {
    broadcastPending = false;
  }

  void appendNoop() {
    r.log.append(List.of(Entry.normal(r.term, r.log.lastIndex() + 1, new byte[0])));
  }

  /** Appends a client entry; rejected while transferring or over the uncommitted-bytes budget. */
  long propose(EntryType type, byte[] data) {
    r.requireLeader();
    if (r.leadTransferee != 0) {
      throw new ProposalRejectedException(Reason.TRANSFER_IN_PROGRESS, r.leadTransferee,
          "leadership is being transferred to " + r.leadTransferee);
    }
    long size = data.length == 0 ? 0 : Entry.OVERHEAD_BYTES + data.length;
    long max = r.cfg.maxUncommittedBytes();
    if (max > 0 && size > 0 && r.uncommittedBytes > 0 && r.uncommittedBytes + size > max) {
      throw new ProposalRejectedException(Reason.UNCOMMITTED_LIMIT, r.id,
          r.uncommittedBytes + " uncommitted bytes, limit " + max);
    }
    Entry e = new Entry(r.term, r.log.lastIndex() + 1, type, data);
    r.log.append(List.of(e));
    r.uncommittedBytes += size;
    broadcastPending = true;
    return e.index();
  }

  /** Committed entries were handed out for applying: they no longer count against the budget. */
  void reduceUncommitted(List<Entry> committed) {
    long sum = 0;
    for (Entry e : committed) if (e.data().length > 0) sum += e.sizeBytes();
    r.uncommittedBytes = Math.max(0, r.uncommittedBytes - sum);
  }

  void flush() {
    if (broadcastPending) {
      broadcastPending = false;
      bcastAppend();
    }
  }

  /** Whether {@link #flush} would send anything (see {@link #maybeSendAppend}); looks only. */
  boolean flushWouldSend() {
    if (!broadcastPending) return false;
    for (Map.Entry<Long, Progress> e : r.tracker.all()) {
      Progress pr = e.getValue();
      boolean sendIfEmpty = pr.state != State.REPLICATE || pr.sentCommit < r.log.committed();
      if (e.getKey() != r.id && wouldSendAppend(pr, sendIfEmpty)) return true;
    }
    return false;
  }

  private boolean wouldSendAppend(Progress pr, boolean sendIfEmpty) {
    if (pr.isPaused()) return false;
    long prevIndex = pr.next - 1;
    if (prevIndex < r.log.firstIndex() - 1) return pr.recentActive; // a snapshot, if the peer seems up
    if (r.log.termOrNegative(prevIndex) < 0) return false;
    return sendIfEmpty || pr.next <= r.log.lastIndex();
  }

  /**
   * The driver's feedback about a peer. UNREACHABLE: fall back to probing it. SNAPSHOT_STATUS: the
   * snapshot stream ended; until the driver says so the leader keeps the peer in SNAPSHOT state and
   * sends it nothing else. On success wait for the follower's APPEND_RESPONSE; on failure for a
   * heartbeat response, then probe.
   */
  void stepFeedback(Message m) {
    Progress pr = r.tracker.get(m.from());
    if (pr == null) return;
    if (m.type() == MessageType.UNREACHABLE) {
      if (pr.state == State.REPLICATE) pr.becomeProbe();
      return;
    }
    if (pr.state != State.SNAPSHOT) return;
    if (m.reject()) pr.pendingSnapshot = 0;
    pr.becomeProbe();
    pr.probeSent = true;
  }

  void bcastAppend() {
    if (r.role != Role.LEADER) return;
    for (Map.Entry<Long, Progress> e : r.tracker.all()) {
      Progress pr = e.getValue();
      // An empty APPEND is only worth sending to probe or to announce a commit the follower lacks.
      boolean sendIfEmpty = pr.state != State.REPLICATE || pr.sentCommit < r.log.committed();
      if (e.getKey() != r.id) sendAppends(e.getKey(), sendIfEmpty);
    }
  }

  /** Sends as much as the follower's window allows (one message at least if {@code sendIfEmpty}). */
  void sendAppends(long to, boolean sendIfEmpty) {
    if (r.role != Role.LEADER || !maybeSendAppend(to, sendIfEmpty)) return;
    for (int i = 0; i < r.cfg.maxInflightMsgs() && maybeSendAppend(to, false); i++) {
      // bounded by the inflight window; the loop stops as soon as nothing is left or it is full
    }
  }

  /** One APPEND (or SNAPSHOT if the follower needs compacted entries); false if nothing was sent. */
  boolean maybeSendAppend(long to, boolean sendIfEmpty) {
    Progress pr = r.tracker.get(to);
    if (pr == null || pr.isPaused()) return false;
    long prevIndex = pr.next - 1;
    long prevTerm = r.log.termOrNegative(prevIndex);
    if (prevTerm < 0) {
      if (prevIndex < r.log.firstIndex() - 1) return sendSnapshot(to, pr);
      pr.next = r.log.lastIndex() + 1; // cannot be past our log in this term; resynchronise
      return false;
    }
    List<Entry> ents;
    try {
      ents = r.log.slice(pr.next, r.log.lastIndex() + 1, r.cfg.maxSizePerMsg());
    } catch (CompactedException e) {
      return sendSnapshot(to, pr);
    }
    if (ents.isEmpty() && !sendIfEmpty) return false;
    r.send(r.msg(MessageType.APPEND, to).index(prevIndex).logTerm(prevTerm).entries(ents)
        .commit(r.log.committed()));
    pr.sentEntries(ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).index(), ents.isEmpty());
    pr.sentCommit = Math.max(pr.sentCommit, r.log.committed());
    return true;
  }

  private boolean sendSnapshot(long to, Progress pr) {
    if (!pr.recentActive) return false; // do not stream a snapshot to a peer that seems down
    SnapshotMeta snap = r.log.storage().snapshot();
    if (snap.isEmpty()) {
      throw Invariants.violated("follower " + to + " needs compacted entries but there is no snapshot");
    }
    pr.becomeSnapshot(snap.index());
    r.send(r.msg(MessageType.SNAPSHOT, to).snapshot(snap));
    return true;
  }

  void bcastHeartbeat(byte[] context) {
    for (Map.Entry<Long, Progress> e : r.tracker.all()) {
      if (e.getKey() == r.id) continue;
      // Never tell a follower to commit beyond what it is known to store.
      long commit = Math.min(e.getValue().match, r.log.committed());
      // index carries the send tick; the follower echoes it and the lease is measured from it.
      r.send(r.msg(MessageType.HEARTBEAT, e.getKey()).commit(commit).index(r.tickCount)
          .context(context == null ? new byte[0] : context));
    }
  }

  void tick() {
    r.heartbeatElapsed++;
    r.electionElapsed++;
    if (r.electionElapsed >= r.cfg.electionTicks()) {
      r.electionElapsed = 0;
      forgetSilentRemoved();
      if (r.cfg.checkQuorum()) {
        if (!r.tracker.quorumActive(r.id)) {
          r.becomeFollower(r.term, 0); // lost contact with a majority: stop pretending to lead
          return;
        }
        r.tracker.resetRecentActive(r.id);
      }
      if (r.leadTransferee != 0) r.transfer.abort();
    }
    if (r.heartbeatElapsed >= r.cfg.heartbeatTicks()) {
      r.heartbeatElapsed = 0;
      bcastHeartbeat(r.reads.lastPendingContext());
    }
  }

  void step(Message m) {
    switch (m.type()) {
      case APPEND_RESPONSE -> handleAppendResponse(m);
      case HEARTBEAT_RESPONSE -> handleHeartbeatResponse(m);
      case READ_INDEX -> r.reads.request(m.from(), m.context(), m.index() == 1);
      default -> { }
    }
  }

  private void handleAppendResponse(Message m) {
    Progress pr = r.tracker.get(m.from());
    if (pr == null) return;
    pr.recentActive = true;
    if (m.reject()) {
      long hint = m.rejectHint();
      if (m.logTerm() > 0) hint = r.log.findConflictByTerm(m.rejectHint(), m.logTerm())[0];
      if (pr.maybeDecrTo(m.index(), hint)) {
        if (pr.state == State.REPLICATE) pr.becomeProbe();
        sendAppends(m.from(), true);
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index()) && !(pr.match == m.index() && pr.state == State.PROBE)) return;
    switch (pr.state) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match + 1 >= r.log.firstIndex()) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights.freeLe(m.index());
    }
    if (maybeCommit()) {
      // Everyone learns the new commit in the next Ready: one message per follower, not one per ack.
      broadcastPending = true;
    } else {
      sendAppends(m.from(), wasPaused);
    }
    if (r.role == Role.LEADER) r.transfer.onProgress(m.from(), pr);
  }

  private void handleHeartbeatResponse(Message m) {
    Progress pr = r.tracker.get(m.from());
    if (pr == null) return;
    pr.recentActive = true;
    pr.probeSent = false;
    pr.heartbeatAckTick = Math.max(pr.heartbeatAckTick, m.index());
    // Appends may have been lost: free one window slot so replication cannot stall forever.
    if (pr.state == State.REPLICATE && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < r.log.lastIndex() || pr.state == State.PROBE) sendAppends(m.from(), true);
    if (m.context().length > 0) r.reads.onHeartbeatAck(m.from(), m.context());
    if (!r.tracker.conf().isMember(m.from())) maybeForgetRemoved(m.from(), pr, m.index());
  }

  /**
   * A removed member keeps getting heartbeats until it surely knows its removal committed (else it
   * would keep campaigning under the old configuration): once it stores the removal and the commit
   * covers it, the next heartbeat carries that commit; its acknowledgement ends the relationship.
   */
  private void maybeForgetRemoved(long id, Progress pr, long echoedTick) {
    long removal = r.membership.lastConfIndex();
    if (pr.match < removal || r.log.committed() < removal) return;
    if (pr.forgetAfterTick == 0) {
      pr.forgetAfterTick = r.tickCount + 1;
    } else if (echoedTick >= pr.forgetAfterTick) {
      r.tracker.forget(id);
    }
  }

  /** Removed members that stayed silent for a whole election timeout are forgotten. */
  private void forgetSilentRemoved() {
    if (r.log.committed() < r.membership.lastConfIndex()) return;
    java.util.List<Long> silent = new java.util.ArrayList<>();
    for (Map.Entry<Long, Progress> e : r.tracker.all()) {
      if (!r.tracker.conf().isMember(e.getKey()) && !e.getValue().recentActive) silent.add(e.getKey());
    }
    silent.forEach(r.tracker::forget);
  }

  /** The leader's own entries became durable (advance): they now count toward the quorum. */
  void onPersisted(long index) {
    Progress self = r.tracker.get(r.id);
    if (self != null && self.maybeUpdate(index) && maybeCommit()) broadcastPending = true;
  }

  /**
   * Advances commit to what a majority of voters stores, but only by counting an entry of the
   * current term (Raft §5.4.2, Figure 8) unless the test-only deviation says otherwise.
   */
  boolean maybeCommit() {
    long mci = r.tracker.committedIndex();
    if (mci <= r.log.committed()) return false;
    boolean countPriorTerms = r.deviations.contains(Deviation.COMMIT_PRIOR_TERM_BY_COUNTING);
    if (!countPriorTerms && r.log.termOrNegative(mci) != r.term) return false;
    r.log.commitTo(mci);
    r.reads.onCommitAdvanced();
    maybeStepDownAfterRemoval();
    return true;
  }

  void onMembershipChanged() {
    if (r.leadTransferee != 0 && !r.tracker.isVoter(r.leadTransferee)) r.transfer.abort();
    if (maybeCommit()) broadcastPending = true;
  }

  /** A leader that removed itself leads until that change commits, then hands over and steps down. */
  private void maybeStepDownAfterRemoval() {
    if (r.role != Role.LEADER || r.tracker.isVoter(r.id)) return;
    if (r.membership.lastConfIndex() > r.log.committed()) return;
    bcastAppend(); // tell the others about the commit before going quiet
    r.transfer.handOffToUpToDateVoter();
    r.becomeFollower(r.term, 0);
  }
}
