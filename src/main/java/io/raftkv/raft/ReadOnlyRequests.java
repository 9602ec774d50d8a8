package io.raftkv.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Linearizable reads without log writes (etcd's ReadOnlySafe) and leader-lease reads, on the leader.
 * A read records the commit index; the requests that arrive between two Readies form one round,
 * confirmed by one heartbeat broadcast carrying the round's id (8 bytes) as context. Once a majority
 * of voters acknowledged a round, its reads and those of all older rounds are released. Round ids
 * are the leader's own, so requesters' contexts never collide (two followers may use the same one).
 */
final class ReadOnlyRequests {
  private record Request(long index, long from, byte[] ctx) {}

  private record Waiting(long from, byte[] ctx, boolean lease) {}

  private static final class Round {
    final long id;
    final List<Request> requests = new ArrayList<>();
    final Set<Long> acks = new HashSet<>();

    Round(long id) {
      this.id = id;
    }
  }

  private final RaftCore r;
  private final LinkedHashMap<Long, Round> rounds = new LinkedHashMap<>();
  /** Requests that arrived before this leader committed an entry of its term (it may not know the commit index). */
  private final ArrayList<Waiting> waiting = new ArrayList<>();
  /** The round collecting requests until the next Ready broadcasts it. */
  private Round open;
  /** Never reset, so an acknowledgement can only ever match the round it was sent for. */
  private long nextRoundId = 1;

  ReadOnlyRequests(RaftCore r) {
    this.r = r;
  }

  void reset() {
    rounds.clear();
    waiting.clear();
    open = null;
  }

  /** A read request on the leader from {@code from} (itself or a follower that forwarded it). */
  void request(long from, byte[] ctx, boolean lease) {
    Invariants.check(r.role == Role.LEADER, "only a leader serves ReadIndex");
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
    boolean skipQuorum = r.deviations.contains(Deviation.READ_INDEX_WITHOUT_QUORUM_CHECK);
    if (soleVoter || skipQuorum || (lease && leaseValid())) {
      respond(from, commit, ctx);
      return;
    }
    if (open == null) {
      open = new Round(nextRoundId++);
      open.acks.add(r.id);
      rounds.put(open.id, open);
    }
    open.requests.add(new Request(commit, from, ctx));
  }

  void onCommitAdvanced() {
    if (waiting.isEmpty() || !r.committedEntryInCurrentTerm()) return;
    ArrayList<Waiting> ready = new ArrayList<>(waiting);
    waiting.clear();
    for (Waiting w : ready) serve(w.from(), w.ctx(), w.lease());
  }

  void onHeartbeatAck(long from, byte[] ctx) {
    if (ctx.length != 8) return;
    Round round = rounds.get(decode(ctx));
    if (round == null) return;
    round.acks.add(from);
    if (!Quorum.hasQuorum(r.tracker.voterIds(), round.acks)) return;
    // Confirming leadership after this round started also confirms it for every older round.
    Iterator<Round> it = rounds.values().iterator();
    while (it.hasNext()) {
      Round done = it.next();
      it.remove();
      if (done == open) open = null;
      for (Request q : done.requests) respond(q.from(), q.index(), q.ctx());
      if (done == round) break;
    }
  }

  /** Context to piggyback on periodic heartbeats so a lost round is retried; null if none pending. */
  byte[] lastPendingContext() {
    long last = 0;
    for (long id : rounds.keySet()) last = id;
    return last == 0 ? null : encode(last);
  }

  boolean flushWouldSend() {
    return open != null;
  }

  void flush() {
    if (open != null) {
      long id = open.id;
      open = null;
      r.leader.bcastHeartbeat(encode(id));
    }
  }

  /**
   * The lease holds while a majority of voters acknowledged heartbeats sent at tick {@code t} and
   * now &lt; t + electionTicks - leaseDriftTicks: those voters promised (CheckQuorum) not to vote
   * for anyone else for electionTicks after hearing from us.
   */
  boolean leaseValid() {
    long start = leaseStart();
    return start > 0 && r.tickCount < start + r.cfg.electionTicks() - r.cfg.leaseDriftTicks();
  }

  /** The newest tick a majority of voters acknowledged (this leader counts as now), 0 when no lease may be used. */
  private long leaseStart() {
    if (!r.cfg.checkQuorum() || r.leadTransferee != 0 || r.leaseRevoked) return 0;
    Progress self = r.tracker.get(r.id);
    if (self == null) return 0;
    self.heartbeatAckTick = r.tickCount;
    return r.tracker.majorityOf(p -> p.heartbeatAckTick);
  }

  /**
   * The tick whose heartbeat round a lease read requested now would rest on, or 0 when such a read
   * would not be answered from the lease at once (not leader, no entry committed in this term yet, or
   * the lease does not hold in ticks). Lets a driver check the lease against its own clock.
   */
  long leaseTick() {
    if (r.role != Role.LEADER || !r.committedEntryInCurrentTerm() || !leaseValid()) return 0;
    return leaseStart();
  }

  private void respond(long to, long index, byte[] ctx) {
    // A read point is a commit index the leader had when the request arrived: never beyond commit.
    if (index > r.log.committed()) throw Invariants.violated("read index " + index + " beyond commit " + r.log.committed());
    if (to == r.id) {
      r.readStates.add(new ReadState(index, ctx));
    } else {
      r.send(r.msg(MessageType.READ_INDEX_RESPONSE, to).index(index).context(ctx));
    }
  }

  private static byte[] encode(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i));
    return b;
  }

  private static long decode(byte[] b) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xffL);
    return v;
  }
}
