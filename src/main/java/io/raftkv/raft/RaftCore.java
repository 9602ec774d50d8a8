package io.raftkv.raft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The protocol state shared by the per-concern handlers (election, leader replication, follower,
 * read-only requests, transfer): term/vote/leader/role, timers, the log and the progress tracker.
 * It owns term handling and role transitions; everything role-specific is delegated.
 */
final class RaftCore {
  /** Vote context marking a campaign started by TIMEOUT_NOW: voters skip their lease check. */
  static final byte[] TRANSFER_CONTEXT = {'T', 'R', 'A', 'N', 'S', 'F', 'E', 'R'};

  final RaftConfig cfg;
  final long id;
  private final RandomGenerator random;
  final Membership membership;
  final RaftLog log;
  final ProgressTracker tracker;
  final Election election;
  final LeaderReplication leader;
  final LeaderTransfer transfer;
  final FollowerHandler follower;
  final ReadOnlyRequests reads;
  final ArrayList<Message> outbox = new ArrayList<>();
  final ArrayList<ReadState> readStates = new ArrayList<>();
  /** Deliberate bugs, switched on only by tests (see {@link Deviation}); empty in production. */
  final EnumSet<Deviation> deviations = EnumSet.noneOf(Deviation.class);

  long term;
  long vote;
  long lead;
  Role role = Role.FOLLOWER;
  int electionElapsed;
  int heartbeatElapsed;
  int randomizedElectionTimeout;
  /** Monotonic local tick counter (starts at 1); the lease is measured in it. */
  long tickCount = 1;
  long leadTransferee;
  /**
   * Set once this leader sent TIMEOUT_NOW in its term: the target may campaign (forced past
   * everyone's lease promise) at any later time, even after the transfer was abandoned.
   */
  boolean leaseRevoked;
  long uncommittedBytes;
  /** A restarted node may have promised a leader not to vote; it honours that for one election timeout. */
  private final boolean restarted;

  RaftCore(RaftConfig cfg, LogView storage, ConfState bootstrap, RandomGenerator random) {
    this.cfg = cfg;
    this.id = cfg.id();
    this.random = random;
    this.membership = Membership.load(storage);
    this.tracker = new ProgressTracker(cfg.maxInflightMsgs());
    this.log = new RaftLog(storage, this::onEntriesAppended);
    this.election = new Election(this);
    this.leader = new LeaderReplication(this);
    this.transfer = new LeaderTransfer(this);
    this.follower = new FollowerHandler(this);
    this.reads = new ReadOnlyRequests(this);
    HardState hs = storage.hardState();
    boolean pristine = hs.equals(HardState.EMPTY) && storage.lastIndex() == 0 && storage.snapshot().isEmpty();
    this.restarted = hs.term() > 0;
    tracker.setConf(membership.current(), log.lastIndex() + 1);
    if (pristine && !bootstrap.members().isEmpty()) {
      bootstrap(bootstrap);
    } else {
      term = hs.term();
      vote = hs.vote();
      log.commitTo(hs.commit());
    }
    initApplied(cfg.appliedIndex());
    becomeFollower(term, 0);
  }

  /** Identical self-describing first entries on every initial member: one conf change per member. */
  private void bootstrap(ConfState conf) {
    List<Entry> ents = new ArrayList<>();
    for (long v : new TreeSet<>(conf.voters())) {
      ents.add(new Entry(1, ents.size() + 1, EntryType.CONF_CHANGE,
          new ConfChange(ConfChange.Type.ADD_VOTER, v, null).encode()));
    }
    for (long l : new TreeSet<>(conf.learners())) {
      ents.add(new Entry(1, ents.size() + 1, EntryType.CONF_CHANGE,
          new ConfChange(ConfChange.Type.ADD_LEARNER, l, null).encode()));
    }
    term = 1;
    log.append(ents);
    log.commitTo(ents.size());
  }

  private void initApplied(long applied) {
    long snap = log.firstIndex() - 1;
    if (applied == 0 && snap == 0) return;
    if (applied < snap) {
      throw new IllegalArgumentException("appliedIndex " + applied + " is below the log's snapshot " + snap
          + ": restore the state machine from that snapshot and pass its index");
    }
    // Commit-only hard state changes are not fsynced, so the applied index may be ahead of it.
    if (applied > log.committed()) log.commitTo(applied);
    log.appliedTo(applied);
  }

  // ---- inputs ----

  void tick() {
    tickCount++;
    if (role == Role.LEADER) {
      leader.tick();
    } else {
      electionElapsed++;
      if (election.promotable() && electionElapsed >= randomizedElectionTimeout) {
        step(Message.builder(MessageType.HUP, id, id, 0).build());
      }
    }
  }

  void step(Message m) {
    if (m.type().isLocal()) {
      stepLocal(m);
      return;
    }
    if (m.to() != id || m.from() == id) return;
    if (m.term() > term) {
      if (!handleHigherTerm(m)) return;
    } else if (m.term() < term) {
      handleLowerTerm(m);
      return;
    }
    if (m.type() == MessageType.PRE_VOTE || m.type() == MessageType.VOTE) {
      election.handleVoteRequest(m);
      return;
    }
    switch (role) {
      case LEADER -> leader.step(m);
      case PRE_CANDIDATE, CANDIDATE -> election.stepCandidate(m);
      default -> follower.step(m);
    }
  }

  /** The driver's feedback (see {@link MessageType#LOCAL}): no term, addressed to this node. */
  private void stepLocal(Message m) {
    Invariants.check(m.to() == id && m.term() == 0, "local message must be addressed to this node, without a term");
    switch (m.type()) {
      case HUP -> {
        if (role == Role.LEADER) return;
        electionElapsed = 0;
        election.campaign(cfg.preVote() ? Election.Kind.PRE_ELECTION : Election.Kind.ELECTION);
      }
      case UNREACHABLE, SNAPSHOT_STATUS -> {
        if (role == Role.LEADER) leader.stepFeedback(m);
      }
      default -> throw Invariants.violated("not a local message: " + m.type());
    }
  }

  /** Returns false if the message must be dropped. */
  private boolean handleHigherTerm(Message m) {
    MessageType t = m.type();
    if (t == MessageType.PRE_VOTE || t == MessageType.VOTE) {
      boolean force = Arrays.equals(m.context(), TRANSFER_CONTEXT);
      if (!force && inLease()) return false;
    }
    if (t == MessageType.PRE_VOTE) return true;
    if (t == MessageType.PRE_VOTE_RESPONSE && !m.reject()) return true;
    boolean fromLeader = t == MessageType.APPEND || t == MessageType.HEARTBEAT || t == MessageType.SNAPSHOT;
    if (t == MessageType.VOTE) {
      adoptCandidatesTerm(m.term());
    } else {
      becomeFollower(m.term(), fromLeader ? m.from() : 0);
    }
    return true;
  }

  /**
   * A vote request of a higher term: the term is adopted, but the time already waited for a leader
   * counts on (the timeout itself is drawn again, as on every term change). Raft (§5.2)
   * restarts it only on hearing from a leader or granting a vote ({@link Election#handleVoteRequest}
   * does that). Restarting it here, as etcd/raft does, let a candidate that cannot win (its log is
   * behind) hold every other node's timer back with each new term it tried: without PreVote a 2-voter
   * cluster stayed leaderless for 13 such rounds (sim seed 40002693, docs/simulation.md).
   */
  private void adoptCandidatesTerm(long newTerm) {
    int elapsed = electionElapsed;
    becomeFollower(newTerm, 0); // draws a new randomized timeout, as every term change does
    electionElapsed = elapsed;
  }

  /**
   * CheckQuorum's promise: having heard from a leader within the election timeout, do not help
   * anyone else become leader. Leader leases rely on it.
   */
  private boolean inLease() {
    boolean startupGuard = restarted && tickCount - 1 < cfg.electionTicks();
    return cfg.checkQuorum() && (lead != 0 || startupGuard) && electionElapsed < cfg.electionTicks();
  }

  private void handleLowerTerm(Message m) {
    if ((cfg.checkQuorum() || cfg.preVote())
        && (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT)) {
      // Tell a stale leader (maybe cut off and now back) about the newer term so it steps down.
      send(msg(MessageType.APPEND_RESPONSE, m.from()));
    } else if (m.type() == MessageType.PRE_VOTE) {
      send(msg(MessageType.PRE_VOTE_RESPONSE, m.from()).reject(true));
    }
  }

  // ---- role transitions ----

  void becomeFollower(long newTerm, long newLead) {
    reset(newTerm);
    lead = newLead;
    role = Role.FOLLOWER;
  }

  void becomePreCandidate() {
    Invariants.check(role != Role.LEADER, "leader cannot become pre-candidate");
    tracker.resetVotes();
    lead = 0;
    role = Role.PRE_CANDIDATE;
  }

  void becomeCandidate() {
    Invariants.check(role != Role.LEADER, "leader cannot become candidate");
    reset(term + 1);
    setVote(id);
    role = Role.CANDIDATE;
  }

  void becomeLeader() {
    Invariants.check(role == Role.CANDIDATE, "only a candidate becomes leader");
    reset(term);
    lead = id;
    role = Role.LEADER;
    if (log.committed() >= membership.lastConfIndex()) tracker.pruneNonMembers();
    tracker.resetForLeader(id, log.lastIndex() + 1, log.persistedIndex());
    leader.appendNoop();
  }

  private void reset(long newTerm) {
    if (newTerm != term) {
      if (newTerm < term) throw Invariants.violated("term decreased from " + term + " to " + newTerm);
      term = newTerm;
      vote = 0;
    }
    lead = 0;
    electionElapsed = 0;
    heartbeatElapsed = 0;
    randomizedElectionTimeout = cfg.electionTicks() + random.nextInt(cfg.electionTicks());
    leadTransferee = 0;
    leaseRevoked = false;
    uncommittedBytes = 0;
    tracker.resetVotes();
    reads.reset();
    leader.reset();
  }

  void setVote(long v) {
    if (vote != 0 && vote != v) {
      throw Invariants.violated("vote changed within term " + term + " from " + vote + " to " + v);
    }
    vote = v;
  }

  // ---- membership ----

  private void onEntriesAppended(List<Entry> ents) {
    if (membership.onAppend(ents)) applyMembership();
  }

  void applyMembership() {
    tracker.setConf(membership.current(), log.lastIndex() + 1);
    if (role == Role.LEADER) leader.onMembershipChanged();
  }

  // ---- helpers ----

  boolean committedEntryInCurrentTerm() {
    return log.termOrNegative(log.committed()) == term;
  }

  Message.Builder msg(MessageType type, long to) {
    return Message.builder(type, id, to, term);
  }

  void send(Message.Builder b) {
    outbox.add(b.build());
  }

  void requireLeader() {
    if (role != Role.LEADER) {
      throw new ProposalRejectedException(ProposalRejectedException.Reason.NOT_LEADER, lead,
          "node " + id + " is " + role + " in term " + term);
    }
  }

  /** Whether {@link #flush} would send anything; looks only (hasReady must not act). */
  boolean flushWouldSend() {
    return role == Role.LEADER && (leader.flushWouldSend() || reads.flushWouldSend());
  }

  /** Deferred work a leader batches per Ready (appends and heartbeat rounds for new requests). */
  void flush() {
    if (role == Role.LEADER) {
      leader.flush();
      reads.flush();
    }
  }

  Role reportedRole() {
    if (role == Role.FOLLOWER && tracker.conf().learners().contains(id)) return Role.LEARNER;
    return role;
  }

  SoftState softState() {
    return new SoftState(lead, reportedRole());
  }

  HardState hardState() {
    return new HardState(term, vote, log.committed());
  }
}
