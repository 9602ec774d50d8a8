package io.raftkv.raft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Set;

/**
 * Linearizable reads without log writes (etcd's ReadOnlySafe) and leader-lease reads, on the leader.
 * A read records the commit index, then a heartbeat round carrying the request's context confirms
 * leadership; once a majority acknowledged it, that read and all older ones are released.
 */
final class ReadOnlyRequests {
  /** A byte[] context usable as a map key. */
  private static final class Key {
    final byte[] ctx;
    Key(byte[] ctx) { this.ctx = ctx; }
    @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(k.ctx, ctx); }
    @Override public int hashCode() { return Arrays.hashCode(ctx); }
  }

  private record Waiting(long from, byte[] ctx, boolean lease) {}

  private static final class InRound {
    final long index;
    final long from;
    final byte[] ctx;
    final Set<Long> acks = new HashSet<>();

    InRound(long index, long from, byte[] ctx) {
      this.index = index;
      this.from = from;
      this.ctx = ctx;
    }
  }

  private final RaftCore r;
  private final LinkedHashMap<Key, InRound> inRound = new LinkedHashMap<>();
  /** Requests that arrived before this leader committed an entry of its term (it may not know the commit index). */
  private final ArrayList<Waiting> waiting = new ArrayList<>();
  /** Context of the newest request whose heartbeat round has not been broadcast yet. */
  private byte[] roundToSend;

  ReadOnlyRequests(RaftCore r) {
    this.r = r;
  }

  void reset() {
    inRound.clear();
    waiting.clear();
    roundToSend = null;
  }

  /** A read request on the leader from {@code from} (itself or a follower that forwarded it). */
  void request(long from, byte[] ctx, boolean lease) {
    if (!r.committedEntryInCurrentTerm()) {
      waiting.add(new Waiting(from, ctx, lease));
      return;
    }
    serve(from, ctx, lease);
  }

  private void serve(long from, byte[] ctx, boolean lease) {
    long commit = r.log.committed();
    long[] voters = r.tracker.voterIds();
    boolean soleVoter = voters.length == 1 && voters[0] == r.id;
    boolean skipQuorum = r.cfg.deviations().contains(RaftConfig.Deviation.READ_INDEX_WITHOUT_QUORUM_CHECK);
    if (soleVoter || skipQuorum || (lease && leaseValid())) {
      respond(from, commit, ctx);
      return;
    }
    Key k = new Key(ctx);
    if (inRound.containsKey(k)) return;
    InRound req = new InRound(commit, from, ctx);
    req.acks.add(r.id);
    inRound.put(k, req);
    roundToSend = ctx;
  }

  void onCommitAdvanced() {
    if (waiting.isEmpty() || !r.committedEntryInCurrentTerm()) return;
    ArrayList<Waiting> ready = new ArrayList<>(waiting);
    waiting.clear();
    for (Waiting w : ready) serve(w.from(), w.ctx(), w.lease());
  }

  void onHeartbeatAck(long from, byte[] ctx) {
    InRound req = inRound.get(new Key(ctx));
    if (req == null) return;
    req.acks.add(from);
    if (!Quorum.hasQuorum(r.tracker.voterIds(), req.acks)) return;
    // The round for this request also confirms leadership for everything queued before it.
    Iterator<InRound> it = inRound.values().iterator();
    while (it.hasNext()) {
      InRound done = it.next();
      it.remove();
      respond(done.from, done.index, done.ctx);
      if (done == req) break;
    }
  }

  /** Context to piggyback on periodic heartbeats so a lost round is retried. */
  byte[] lastPendingContext() {
    byte[] last = null;
    for (InRound req : inRound.values()) last = req.ctx;
    return last;
  }

  void flush() {
    if (roundToSend != null) {
      byte[] ctx = roundToSend;
      roundToSend = null;
      r.leader.bcastHeartbeat(ctx);
    }
  }

  /**
   * The lease holds while a majority of voters acknowledged heartbeats sent at tick {@code t} and
   * now &lt; t + electionTicks - leaseDriftTicks: those voters promised (CheckQuorum) not to vote
   * for anyone else for electionTicks after hearing from us.
   */
  boolean leaseValid() {
    if (!r.cfg.checkQuorum() || r.leadTransferee != 0) return false;
    Progress self = r.tracker.get(r.id);
    if (self == null) return false;
    self.heartbeatAckTick = r.tickCount;
    long start = r.tracker.majorityOf(p -> p.heartbeatAckTick);
    return start > 0 && r.tickCount < start + r.cfg.electionTicks() - r.cfg.leaseDriftTicks();
  }

  private void respond(long to, long index, byte[] ctx) {
    if (to == r.id) {
      r.readStates.add(new ReadState(index, ctx));
    } else {
      r.send(r.msg(MessageType.READ_INDEX_RESPONSE, to).index(index).context(ctx));
    }
  }
}
