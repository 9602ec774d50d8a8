package io.raftkv.raft;

import io.raftkv.raft.ProposalRejectedException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The Raft core: a deterministic, single-threaded state machine (see package docs). Not thread-safe;
 * one driver thread calls everything.
 */
public final class RaftNode {
  private final RaftCore core;
  private SoftState prevSoft;
  private HardState prevHard;
  /** EMPTY, so a node that is not a member yet does not report a (non-)change in its first Ready. */
  private ConfState prevConf = ConfState.EMPTY;

  /**
   * Creates a core over the durable state in {@code log}. A brand-new cluster member starts with a log
   * whose snapshot conf (or, if none, {@code bootstrap}) names the initial voters; a restarted node
   * recovers term, vote, commit and membership from {@code log} and ignores {@code bootstrap}.
   */
  public RaftNode(RaftConfig config, LogView log, ConfState bootstrap, RandomGenerator random) {
    this.core = new RaftCore(config, log, bootstrap == null ? ConfState.EMPTY : bootstrap, random);
    this.prevHard = log.hardState();
  }

  /** Advances logical time by one tick (elections, heartbeats, CheckQuorum, lease). */
  public void tick() {
    core.tick();
  }

  /**
   * Feeds a message from a peer. Messages for other nodes or from unknown terms are handled per Raft.
   *
   * @throws IllegalArgumentException for a local message type ({@link MessageType#LOCAL}): feedback
   *     comes through {@link #campaign}, {@link #reportUnreachable} and {@link #reportSnapshot}
   */
  public void step(Message m) {
    if (m.type().isLocal()) throw new IllegalArgumentException("a peer cannot send the local message " + m.type());
    core.step(m);
  }

  /**
   * Appends a command to the leader's log.
   *
   * @return the index the entry got (its term is the current term); the command is committed when an
   *     entry with that index and term is delivered in {@link Ready#committedEntries()}
   * @throws ProposalRejectedException if not leader, transferring, or over the uncommitted limit
   */
  public long propose(byte[] data) {
    return core.leader.propose(EntryType.NORMAL, data);
  }

  /**
   * Proposes a single-server membership change.
   *
   * @return the index of the CONF_CHANGE entry
   * @throws ProposalRejectedException if not leader, another change is pending, or the change is invalid
   */
  public long proposeConfChange(ConfChange change) {
    core.requireLeader();
    ConfChanges.validate(core, change);
    return core.leader.propose(EntryType.CONF_CHANGE, change.encode());
  }

  /**
   * Requests a linearizable read point. The answer arrives as a {@link ReadState} with the same context
   * in a later Ready. With {@code lease} true the leader may answer from its lease without a quorum
   * round (only when CheckQuorum is on and the lease, minus the drift margin, still holds).
   * Followers forward the request to the leader. A request the leader cannot answer (it lost
   * leadership) is dropped: callers time out and retry.
   *
   * @throws ProposalRejectedException NOT_LEADER when no leader is known
   */
  public void readIndex(byte[] context, boolean lease) {
    byte[] ctx = context == null ? new byte[0] : context;
    if (core.role == Role.LEADER) {
      core.reads.request(core.id, ctx, lease);
    } else if (core.lead != 0 && core.role == Role.FOLLOWER) {
      core.send(core.msg(MessageType.READ_INDEX, core.lead).index(lease ? 1 : 0).context(ctx));
    } else {
      throw new ProposalRejectedException(Reason.NOT_LEADER, 0, "no known leader");
    }
  }

  /**
   * The leader tick whose heartbeat round (acknowledged by a majority of voters) a lease read requested
   * right now would be answered from, or 0 when {@code readIndex(ctx, true)} would not answer from the
   * lease at once. A driver that maps ticks to its monotonic clock checks the lease in real time with
   * it: the core counts ticks, and ticks a stalled driver did not deliver are time the core never saw.
   */
  public long leaseTick() {
    return core.reads.leaseTick();
  }

  /** Starts a leadership transfer to {@code transferee} (TimeoutNow once it is caught up). */
  public void transferLeadership(long transferee) {
    core.transfer.start(transferee);
  }

  /**
   * Starts an election now, as if this node's election timer had fired (PreVote first when enabled).
   * Added for drivers and scenario tests; a no-op on the leader and on non-voters.
   */
  public void campaign() {
    core.step(local(MessageType.HUP, core.id).build());
  }

  /** The driver could not deliver to {@code peer}; the leader falls back to probing it. */
  public void reportUnreachable(long peer) {
    core.step(local(MessageType.UNREACHABLE, peer).build());
  }

  /**
   * Outcome of streaming a snapshot to {@code peer}. The driver must report every SNAPSHOT message it
   * was given (also when it could not send it): until then the leader keeps that peer in SNAPSHOT
   * state and sends it nothing else.
   */
  public void reportSnapshot(long peer, boolean success) {
    core.step(local(MessageType.SNAPSHOT_STATUS, peer).reject(!success).build());
  }

  /** Feedback from the driver: a local message from {@code from} (the peer it is about) to this core. */
  private Message.Builder local(MessageType type, long from) {
    return Message.builder(type, from, core.id, 0);
  }

  /** Test seam: switches on a deliberate bug (see {@link Deviation}). */
  void deviate(Deviation d) {
    core.deviations.add(d);
  }

  /**
   * Tells the core the application compacted the durable log up to a new snapshot (already visible
   * through {@link LogView#snapshot()}), so it stops referring to compacted entries.
   */
  public void onCompacted(SnapshotMeta snapshot) {
    if (snapshot.index() > core.log.applied()) {
      throw new IllegalArgumentException("compacted to " + snapshot.index() + " beyond applied " + core.log.applied());
    }
    core.membership.onCompacted(snapshot);
  }

  /** Whether {@link #ready()} has anything to hand out. Only looks: calling it changes nothing. */
  public boolean hasReady() {
    RaftLog log = core.log;
    if (!core.outbox.isEmpty() || core.flushWouldSend() || !core.readStates.isEmpty() || log.unstable().hasNext()
        || log.hasNextCommittedEntries()) {
      return true;
    }
    // Field comparisons instead of building records: this runs once per driver loop iteration.
    return prevSoft == null || prevSoft.leader() != core.lead || prevSoft.role() != core.reportedRole()
        || prevHard.term() != core.term || prevHard.vote() != core.vote || prevHard.commit() != log.committed()
        || !sameConf(core.membership.current());
  }

  private boolean sameConf(ConfState cs) {
    return cs == prevConf || cs.equals(prevConf);
  }

  /** Collects pending work. Call {@link #advance(Ready)} after handling it, before the next ready(). */
  public Ready ready() {
    core.flush();
    RaftLog log = core.log;
    SoftState ss = core.softState();
    HardState hs = core.hardState();
    ConfState cs = core.membership.current();
    List<Entry> entries = log.unstable().nextEntries();
    SnapshotMeta snap = log.unstable().nextSnapshot();
    List<Entry> committed = log.nextCommittedEntries(core.cfg.maxCommittedBytesPerReady());
    boolean mustSync = !entries.isEmpty() || snap != null || hs.term() != prevHard.term() || hs.vote() != prevHard.vote();
    Ready rd = new Ready(ss.equals(prevSoft) ? null : ss, hs.equals(prevHard) ? null : hs,
        sameConf(cs) ? null : cs, entries, snap, new ArrayList<>(core.outbox), committed,
        new ArrayList<>(core.readStates), mustSync, core.role == Role.LEADER);
    core.outbox.clear();
    core.readStates.clear();
    prevSoft = ss;
    prevHard = hs;
    prevConf = cs;
    log.unstable().acceptInProgress();
    if (!committed.isEmpty()) {
      log.markApplying(committed.get(committed.size() - 1).index());
      if (core.role == Role.LEADER) core.leader.reduceUncommitted(committed);
    }
    return rd;
  }

  /** Acknowledges that everything in {@code ready} was persisted, sent and applied. */
  public void advance(Ready ready) {
    RaftLog log = core.log;
    if (ready.snapshot() != null) {
      log.stableSnapTo(ready.snapshot().index());
      log.appliedTo(Math.max(log.applied(), ready.snapshot().index()));
    }
    if (!ready.entries().isEmpty()) {
      Entry last = ready.entries().get(ready.entries().size() - 1);
      log.stableTo(last.index(), last.term());
      if (core.role == Role.LEADER) core.leader.onPersisted(log.persistedIndex());
    }
    if (!ready.committedEntries().isEmpty()) {
      log.appliedTo(ready.committedEntries().get(ready.committedEntries().size() - 1).index());
    }
  }

  public Status status() {
    Map<Long, Status.PeerProgress> progress = new TreeMap<>();
    if (core.role == Role.LEADER) {
      for (Map.Entry<Long, Progress> e : core.tracker.all()) progress.put(e.getKey(), e.getValue().toStatus());
    }
    return new Status(core.id, core.term, core.vote, core.lead, core.reportedRole(), core.log.committed(),
        core.log.applied(), core.log.lastIndex(), core.membership.current(), core.leadTransferee, progress);
  }
}
