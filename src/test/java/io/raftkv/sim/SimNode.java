package io.raftkv.sim;

import io.raftkv.kv.ExpiryTracker;
import io.raftkv.kv.KvEntry;
import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.HardState;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.RaftConfig;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.ReadState;
import io.raftkv.raft.Ready;
import io.raftkv.raft.Role;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.raft.TestDeviation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One simulated server: a Raft core, its durable {@link SimStorage} and a {@link SimStateMachine}, driven
 * through the Ready protocol exactly as {@link Ready} prescribes. A crash throws away everything volatile
 * (core, state machine, unsent messages, waiting requests) and may strike part-way through a Ready.
 */
final class SimNode {

  /** Where inside Ready handling an armed crash strikes. */
  enum CrashPoint { BEFORE_PERSIST, AFTER_PERSIST, AFTER_SEND, AFTER_APPLY }

  private final long id;
  private final RaftConfig config;
  /** Deliberate core bugs for the mutation tests, switched on in every incarnation's core. */
  private final Set<TestDeviation> deviations;
  private final ConfState bootstrap;
  private final SimStorage storage;
  private final NodeHost host;
  private final RandomGenerator random;
  private final boolean readsWithoutReadIndex;
  private final boolean rangesWithoutReadIndex;
  private final boolean txnComparedAtProposer;
  private final Scenario.PlantedBugs bugs;
  private final long expireTimeoutSteps;

  /** Client read contexts are 8 bytes (an operation id); operator reads are 'O' + a token. */
  private static final int OPERATOR_CONTEXT_BYTES = 1 + Long.BYTES;

  private RaftNode core;
  private SimStateMachine kv;
  /** This incarnation's TTL deadlines (on the simulated clock) and its leader-side expiry ticker. */
  private ExpiryTracker expiries;
  private SimExpiryTicker ticker;
  private ConfState conf;
  private PendingRequests pending;
  private final Map<Long, byte[]> receivedSnapshots = new HashMap<>();
  /** Operator ReadIndex rounds this node answered as leader (volatile: lost on a crash). */
  private final Set<Long> confirmedOperatorReads = new HashSet<>();
  private long applied;
  private long commitRegistered;
  private long term;
  private Role role = Role.FOLLOWER;
  private boolean up;
  private boolean retired;
  private CrashPoint armedCrash;
  private int restarts;

  SimNode(long id, RaftConfig config, Set<TestDeviation> deviations, ConfState bootstrap, SimStorage storage,
          NodeHost host, RandomGenerator random, Scenario.PlantedBugs bugs, long expireTimeoutSteps) {
    this.id = id;
    this.config = config;
    this.deviations = Set.copyOf(deviations);
    this.bootstrap = bootstrap;
    this.storage = storage;
    this.host = host;
    this.random = random;
    this.readsWithoutReadIndex = bugs.readsWithoutReadIndex();
    this.rangesWithoutReadIndex = bugs.rangesWithoutReadIndex();
    this.txnComparedAtProposer = bugs.txnComparedAtProposer();
    this.bugs = bugs;
    this.expireTimeoutSteps = expireTimeoutSteps;
  }

  long id() { return id; }
  boolean isUp() { return up; }
  boolean isRetired() { return retired; }
  boolean isLeader() { return up && role == Role.LEADER; }
  long term() { return term; }
  long applied() { return applied; }
  SimStorage storage() { return storage; }
  RaftNode core() { return core; }
  ConfState appliedConf() { return conf; }
  int restarts() { return restarts; }
  byte[] stateMachineSnapshot() { return kv.snapshot(); }
  Map<String, KvEntry> contents() { return kv.contents(); }

  /** Boots (or reboots) from what the storage holds; the state machine is rebuilt from the snapshot + log. */
  void start() {
    if (up || retired) throw new IllegalStateException("node " + id + " cannot start");
    SnapshotMeta snap = storage.snapshot();
    expiries = new ExpiryTracker(() -> host.now() * SimExpiryTicker.NANOS_PER_STEP);
    ticker = new SimExpiryTicker(this, host, host.history(), expireTimeoutSteps);
    kv = new SimStateMachine(storage.snapshotData(), expiries, bugs);
    conf = snap.isEmpty() ? ConfState.EMPTY : snap.conf();
    applied = snap.index();
    commitRegistered = applied;
    pending = new PendingRequests();
    receivedSnapshots.clear();
    term = storage.hardState().term();
    role = Role.FOLLOWER;
    armedCrash = null;
    core = TestDeviation.inject(
        new RaftNode(config.withAppliedIndex(applied), storage, bootstrap, new SplittableRandom(random.nextLong())),
        deviations);
    up = true;
    host.trace().log(host.now(), "node " + id + " starts at applied=" + applied + " " + storage.hardState());
  }

  void crash() {
    if (!up) return;
    up = false;
    restarts++;
    storage.crash();
    ticker.giveUp();
    ticker = null;
    expiries = null;
    core = null;
    kv = null;
    pending = null;
    receivedSnapshots.clear();
    confirmedOperatorReads.clear();
    armedCrash = null;
    host.trace().log(host.now(), "node " + id + " crashes");
  }

  /** Stops for good: the node was removed from the cluster. */
  void retire() {
    crash();
    retired = true;
  }

  void armCrash(CrashPoint point) {
    armedCrash = point;
  }

  void tick() {
    core.tick();
  }

  void receive(Message m, byte[] snapshotData) {
    if (m.type() == MessageType.SNAPSHOT) receivedSnapshots.put(m.snapshot().index(), snapshotData);
    core.step(m);
  }

  /** Proposes a client write here; throws ProposalRejectedException when this node cannot take it. */
  void submitWrite(SimClient client, Operation op) {
    SimStateMachine.Command command = txnComparedAtProposer && op.op().kind() == KvOp.Kind.TXN
        ? kv.decidedAtProposer(client.id(), op.id(), op.op().txn()) // deliberately broken variant
        : new SimStateMachine.Command(client.id(), op.id(), op.op());
    byte[] data = command.encode();
    long index = core.propose(data);
    pending.addWrite(index, new PendingRequests.Write(client, op, core.status().term()));
  }

  /** Proposes a leader's expire here (see {@link SimExpiryTicker}); throws ProposalRejectedException. */
  void proposeExpire(SimExpiryTicker requester, Operation op) {
    long index = core.propose(new SimStateMachine.Command(op.clientId(), op.id(), op.op()).encode());
    pending.addWrite(index, new PendingRequests.Write(requester, op, core.status().term()));
  }

  /** Lets this node's expiry ticker act ({@code mayPropose}: false once clients stop starting operations). */
  void stepExpiry(boolean mayPropose) {
    if (up) ticker.step(expiries, mayPropose);
  }

  /** Starts a read here; throws ProposalRejectedException when no leader is known. */
  void submitRead(SimClient client, Operation op, boolean lease) {
    PendingRequests.Read read = new PendingRequests.Read(client, op);
    if (readsWithoutReadIndex || (rangesWithoutReadIndex && op.op().kind() == KvOp.Kind.RANGE)) {
      PendingRequests.serve(read, kv); // deliberately broken variants: local state may be stale
      return;
    }
    core.readIndex(PendingRequests.context(op), lease);
    pending.addRead(read);
  }

  /**
   * An operator's linearizable check (a ReadIndex round, never the lease): once it is answered,
   * {@link #operatorReadConfirmed} says this node was still the leader after the round started.
   */
  void startOperatorRead(long token) {
    byte[] ctx = ByteBuffer.allocate(OPERATOR_CONTEXT_BYTES).put((byte) 'O').putLong(token).array();
    core.readIndex(ctx, false);
  }

  boolean operatorReadConfirmed(long token) {
    return confirmedOperatorReads.contains(token);
  }

  /** Snapshots the state machine at the applied index and compacts the log up to it, keeping a tail. */
  boolean takeSnapshot(int retainEntries) {
    if (!up || applied <= storage.snapshot().index()) return false;
    SnapshotMeta meta = new SnapshotMeta(applied, storage.term(applied), conf);
    storage.compact(meta, kv.snapshot(), retainEntries);
    core.onCompacted(meta);
    host.trace().log(host.now(), "node " + id + " compacts to " + applied);
    return true;
  }

  /** Handles every pending Ready (bounded: a core that never settles is a bug). */
  void processReadies() {
    for (int round = 0; up && core.hasReady(); round++) {
      if (round > 10_000) throw new IllegalStateException("node " + id + " produces Readies forever");
      handle(core.ready());
    }
  }

  private void handle(Ready rd) {
    List<Runnable> afterAdvance = new ArrayList<>();
    if (rd.hardState() != null) term = rd.hardState().term();
    if (rd.softState() != null) noteRole(rd.softState().role());
    if (rd.snapshot() != null) installSnapshot(rd.snapshot());
    for (Message m : rd.messages()) {
      if (rd.maySendBeforePersist(m)) send(m, afterAdvance);
    }
    if (crashesAt(CrashPoint.BEFORE_PERSIST)) return;
    persist(rd);
    if (crashesAt(CrashPoint.AFTER_PERSIST)) return;
    for (Message m : rd.messages()) {
      if (!rd.maySendBeforePersist(m)) send(m, afterAdvance);
    }
    if (crashesAt(CrashPoint.AFTER_SEND)) return;
    for (Entry e : rd.committedEntries()) apply(e);
    for (ReadState rs : rd.readStates()) {
      if (rs.context().length == OPERATOR_CONTEXT_BYTES) {
        confirmedOperatorReads.add(ByteBuffer.wrap(rs.context(), 1, Long.BYTES).getLong());
      } else {
        pending.onReadState(rs, applied, kv);
      }
    }
    pending.serveReadsUpTo(applied, kv);
    if (crashesAt(CrashPoint.AFTER_APPLY)) return;
    core.advance(rd);
    afterAdvance.forEach(Runnable::run);
  }

  private void noteRole(Role r) {
    if (r != role) host.trace().log(host.now(), "node " + id + " becomes " + r + " in term " + term);
    role = r;
    if (r == Role.LEADER) {
      host.safety().onLeader(id, term);
      host.count("leader elected");
    }
  }

  private boolean crashesAt(CrashPoint point) {
    if (armedCrash != point) return false;
    crash();
    return true;
  }

  private void persist(Ready rd) {
    if (!rd.entries().isEmpty()) {
      if (!rd.mustSync()) throw new IllegalStateException("Ready with entries but mustSync=false");
      List<Entry> written = storage.append(rd.entries());
      if (!written.isEmpty()) {
        host.safety().onPersist(id, written, storage.term(written.get(0).index() - 1));
      }
    }
    HardState hs = rd.hardState();
    if (hs != null) {
      storage.setHardState(hs, rd.mustSync());
      registerCommitted(hs.commit());
    }
  }

  /** Every entry up to the persisted commit index is committed: tell the safety checker. */
  private void registerCommitted(long commit) {
    long from = Math.max(commitRegistered, storage.snapshot().index()) + 1;
    long to = Math.min(commit, storage.lastIndex());
    if (from > to) return;
    for (Entry e : storage.entries(from, to + 1, Long.MAX_VALUE)) {
      host.safety().onCommitted(id, term, e, host.liveNodes());
    }
    commitRegistered = to;
  }

  private void send(Message m, List<Runnable> afterAdvance) {
    byte[] snapshotData = null;
    if (m.type() == MessageType.SNAPSHOT) {
      if (storage.snapshot().index() != m.snapshot().index()) {
        afterAdvance.add(() -> core.reportSnapshot(m.to(), false));
        return;
      }
      snapshotData = storage.snapshotData();
    }
    boolean delivered = host.send(m, snapshotData);
    if (m.type() == MessageType.SNAPSHOT) {
      afterAdvance.add(() -> core.reportSnapshot(m.to(), delivered));
    }
    if (!delivered) afterAdvance.add(() -> core.reportUnreachable(m.to()));
  }

  private void installSnapshot(SnapshotMeta meta) {
    byte[] data = receivedSnapshots.get(meta.index());
    if (data == null) {
      throw new IllegalStateException("node " + id + " told to install snapshot " + meta.index()
          + " it never received");
    }
    host.safety().onSnapshotInstalled(id, meta);
    storage.applySnapshot(meta, data);
    kv = new SimStateMachine(data, expiries, bugs); // the restore starts every TTL over
    conf = meta.conf();
    applied = meta.index();
    commitRegistered = Math.max(commitRegistered, meta.index());
    pending.onSnapshotInstalled(meta.index());
    receivedSnapshots.clear();
    host.count("snapshot installed");
    host.trace().log(host.now(), "node " + id + " installs snapshot " + meta.index() + "/" + meta.term());
  }

  private void apply(Entry e) {
    if (e.index() != applied + 1) {
      throw new IllegalStateException("node " + id + " applies " + e + " after " + applied);
    }
    host.safety().onCommitted(id, term, e, host.liveNodes());
    applied = e.index();
    host.trace().mix(e.index() * 31 + e.term());
    SimStateMachine.Command command = null;
    KvOp.Result result = null;
    if (e.type() == EntryType.CONF_CHANGE) {
      ConfChange cc = ConfChange.decode(e.data());
      conf = applyChange(conf, cc);
      kv.applyMemberChange(e.index(), cc);
      host.onConfApplied(id, e.index(), cc);
    } else if (e.data().length > 0) {
      command = SimStateMachine.Command.decode(e.data());
      int keysBefore = command.op().kind() == KvOp.Kind.EXPIRE ? kv.contents().size() : 0;
      result = kv.apply(e.index(), command);
      if (command.op().kind() == KvOp.Kind.EXPIRE) { // statistics only, counted on each replica
        host.count(kv.contents().size() < keysBefore ? "expire applied: key deleted" : "expire applied: nothing deleted");
      }
      host.onCommandApplied(command, result);
    } else {
      kv.applyNoop(e.index());
    }
    pending.onApplied(e, command, result);
  }

  static ConfState applyChange(ConfState c, ConfChange cc) {
    Set<Long> voters = new HashSet<>(c.voters());
    Set<Long> learners = new HashSet<>(c.learners());
    voters.remove(cc.nodeId());
    learners.remove(cc.nodeId());
    switch (cc.type()) {
      case ADD_VOTER -> voters.add(cc.nodeId());
      case ADD_LEARNER -> learners.add(cc.nodeId());
      case REMOVE_NODE -> { }
    }
    return new ConfState(voters, learners);
  }

  @Override
  public String toString() {
    return "node " + id + (up ? " " + role + " term=" + term + " applied=" + applied : retired ? " retired" : " down")
        + " log=(" + storage.snapshot().index() + "," + storage.lastIndex() + "] " + storage.hardState()
        + " conf=" + conf;
  }
}
