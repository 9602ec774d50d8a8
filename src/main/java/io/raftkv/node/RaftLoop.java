package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.node.metrics.NodeMetrics;
import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.RaftConfig;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Ready;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import io.raftkv.storage.DiskLimitReachedException;
import io.raftkv.transport.PeerTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that owns the Raft core (docs/architecture.md §2–3). Request threads only enqueue work
 * (bounded by {@link PendingLimiter}, queued in {@link LoopIntake}) and get a future; peers' traffic
 * arrives through {@link PeerInbox}. Each pass
 * ticks when due, drains everything that arrived into the core, then handles its Readies with
 * {@link ReadyHandler}. Writes on a follower are forwarded to the leader ({@link ForwardClient}).
 */
public final class RaftLoop implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RaftLoop.class.getName());
  private static final int INBOX_CAPACITY = 8192;
  private static final int MAX_READIES_PER_PASS = 64;
  private static final long CLOSE_WAIT_MS = 5_000;

  private final NodeConfig config;
  private final RaftStorage storage;
  private final DiskSpaceWait disk;
  private final StateMachine stateMachine;
  private final PeerTransport transport;
  private final LoopSignal signal = new LoopSignal();
  private final PeerInbox inbox;
  private final Completer completer;
  private final ProposalTracker proposals;
  private final ReadTracker reads;
  private final PendingLimiter limiter;
  private final MemberRegistry members;
  private final SnapshotCoordinator snapshots;
  private final ReadyHandler readyHandler;
  private final ForwardClient forwardClient;
  private final WriteRouter writes;
  private final MembershipManager membership;
  private final LoopIntake intake;
  private final LeadershipWatch leadership;
  private final NodeMetrics metrics;
  /** Every future the loop still owes an answer, so close can fail them if the thread will not stop. */
  private final StuckRequests stuck = new StuckRequests();
  private final long timeoutNanos;
  /** How long a write or read without a leader waits for the next one (about three election timeouts). */
  private final long leaderWaitNanos;
  private volatile Consumer<Throwable> fatalListener = t -> { };
  private RaftNode core;
  private LeaseClock leaseClock;
  private Thread thread;
  private volatile boolean running;
  private volatile Throwable failure;
  private volatile long leaderId;
  private volatile NodeStatus status;
  /** Loop thread only: whether this node was a member in this run, and whether it then was removed. */
  private boolean wasMember;
  private boolean removed;

  public RaftLoop(NodeConfig config, RaftStorage storage, SnapshotStore snapshotStore, StateMachine stateMachine,
      PeerTransport transport) {
    this(config, storage, snapshotStore, stateMachine, transport, new NodeCounters());
  }

  /** With the counters the node's other parts (its {@link JeRaftStorage}) count into too. */
  public RaftLoop(NodeConfig config, RaftStorage storage, SnapshotStore snapshotStore, StateMachine stateMachine,
      PeerTransport transport, NodeCounters counters) {
    this.config = config;
    this.disk = new DiskSpaceWait(storage, () -> running && Thread.currentThread() == thread, this::whileWaitingForDisk);
    storage = disk; // every part below writes through it
    this.storage = storage;
    this.stateMachine = stateMachine;
    this.transport = transport;
    this.timeoutNanos = LoopSignal.millisToNanos(config.requestTimeoutMs());
    this.leaderWaitNanos = Math.min(timeoutNanos, LoopSignal.millisToNanos(3L * config.electionTimeoutMs()));
    this.inbox = new PeerInbox(INBOX_CAPACITY, signal);
    this.completer = new Completer("raftkv-" + config.nodeId());
    this.proposals = new ProposalTracker(completer, counters, timeoutNanos);
    this.reads = new ReadTracker(completer, counters);
    this.intake = new LoopIntake(proposals, reads, completer);
    this.limiter = new PendingLimiter(config.queueMax(), counters);
    this.leadership = new LeadershipWatch(config.nodeId(), storage.hardState().term(), counters);
    this.metrics = new LoopMetrics(config.nodeId(), () -> status, stateMachine::appliedIndex, counters,
        config.dataDir(), config.storeOptions().freeDiskBytes(), () -> disk.refusal() != null);
    AddressBook book = AddressBook.load(config, storage.members());
    // A removed member stays reachable until it learned its removal committed, at most this long.
    this.members = new MemberRegistry(book, storage, transport, storage.snapshot().conf(),
        Duration.ofMillis(10L * config.electionTimeoutMs()));
    this.snapshots = new SnapshotCoordinator(storage, snapshotStore, stateMachine, members,
        config.snapshotThreshold(), config.logRetain(), this::post, counters);
    this.readyHandler = new ReadyHandler(storage, transport, inbox, snapshots,
        new EntryApplier(stateMachine, proposals, reads, members), proposals, reads);
    this.forwardClient = new ForwardClient(transport, config.requestTimeoutMs());
    this.writes = new WriteRouter(config.nodeId(), () -> leaderId, this::enqueueProposal, forwardClient, timeoutNanos,
        leaderWaitNanos);
    this.membership = new MembershipManager(this, Duration.ofMillis(config.catchUpTimeoutMs()));
  }

  /** Called once if the loop dies (storage failure, corrupt log, core invariant); boot stops the node. */
  public void onFatal(Consumer<Throwable> listener) {
    this.fatalListener = listener;
  }

  /** Restores the latest snapshot, creates the core over the stored log, starts the transport and the thread. */
  public synchronized void start() throws IOException {
    if (thread != null) throw new IllegalStateException("already started");
    long applied = snapshots.restoreAtStartup();
    boolean fresh = storage.lastIndex() == 0 && storage.hardState().term() == 0 && storage.snapshot().isEmpty();
    ConfState bootstrap = fresh && config.bootstrapsCluster()
        ? new ConfState(config.cluster().ids(), Set.of()) : ConfState.EMPTY;
    leaseClock = new LeaseClock(config.electionTicks(), LoopSignal.millisToNanos(config.heartbeatMs()),
        LoopSignal.millisToNanos(config.clockDriftMs()), System.nanoTime());
    core = new RaftNode(raftConfig(applied), storage, bootstrap, new SplittableRandom());
    members.publish();
    wasMember = members.appliedConf().isMember(config.nodeId());
    publishStatus();
    transport.start(new LoopInboundHandler(inbox, new ForwardServer(this, membership)));
    running = true;
    thread = new Thread(this::run, "raftkv-loop-" + config.nodeId());
    thread.start();
    LOG.info("node " + config.nodeId() + " started: applied " + applied + ", last index " + storage.lastIndex()
        + (bootstrap.voters().isEmpty() ? "" : ", bootstrapping voters " + bootstrap.voters()));
  }

  private RaftConfig raftConfig(long applied) {
    return RaftConfig.defaults(config.nodeId()).withTicks(config.electionTicks(), 1)
        .withLeaseDriftTicks(config.leaseDriftTicks()).withAppliedIndex(applied);
  }

  // ------------------------------------------------------------------ requests (any thread)

  /**
   * Proposes a command; on a follower it is forwarded to the leader, and it waits for the next leader
   * when there is none ({@link WriteRouter}). Completes with the apply result.
   */
  public CompletableFuture<byte[]> propose(byte[] command) {
    NodeException refused = disk.refusedRequest();
    if (refused != null) return CompletableFuture.failedFuture(refused);
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    CompletableFuture<byte[]> visible;
    try {
      visible = limiter.track(result);
    } catch (NodeException e) {
      return CompletableFuture.failedFuture(e);
    }
    writes.route(command).whenComplete(Futures.relay(result));
    return visible;
  }

  /** Proposes on this node only (the leader side of forwarding); fails NotLeader elsewhere. */
  CompletableFuture<byte[]> proposeLocal(byte[] command) {
    NodeException refused = disk.refusedRequest();
    if (refused != null) return CompletableFuture.failedFuture(refused);
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    CompletableFuture<byte[]> visible;
    try {
      visible = limiter.track(result);
    } catch (NodeException e) {
      return CompletableFuture.failedFuture(e);
    }
    enqueueProposal(command).whenComplete(Futures.relay(result));
    return visible;
  }

  private CompletableFuture<byte[]> enqueueProposal(byte[] command) {
    CompletableFuture<byte[]> f = stuck.write(new CompletableFuture<>());
    intake.addProposal(command, f, System.nanoTime() + timeoutNanos);
    wake();
    return f;
  }

  /**
   * Obtains a linearizable read point: completes with an index once this node has applied it, so local
   * state read afterwards reflects every write acknowledged before the call. {@code lease} lets a leader
   * skip the quorum round when lease reads are enabled; elsewhere it is plain ReadIndex.
   */
  public CompletableFuture<Long> readIndex(boolean lease) {
    NodeException refused = disk.refusedRequest();
    if (refused != null) return CompletableFuture.failedFuture(refused);
    CompletableFuture<Long> f = stuck.other(new CompletableFuture<>());
    CompletableFuture<Long> visible;
    try {
      visible = limiter.track(f);
    } catch (NodeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long now = System.nanoTime();
    intake.addRead(lease, new ReadTracker.Pending(f, now + timeoutNanos, now + leaderWaitNanos));
    wake();
    return visible;
  }

  /**
   * Runs {@code op} on the loop thread (membership, transfers); core rejections become NodeExceptions,
   * and a NodeException {@code op} throws is its answer. Anything else (a broken core invariant, a
   * corrupt log) fails the caller and then stops the loop, like a throw from {@code step}.
   */
  <T> CompletableFuture<T> call(Function<RaftNode, T> op) {
    CompletableFuture<T> f = stuck.other(new CompletableFuture<>());
    post(f::completeExceptionally, c -> {
      try {
        completer.complete(f, op.apply(c));
      } catch (ProposalRejectedException e) {
        completer.fail(f, NodeException.from(e));
      } catch (NodeException e) {
        completer.fail(f, e);
      } catch (RuntimeException e) {
        completer.fail(f, e);
        throw e;
      }
    });
    return f;
  }

  /**
   * Proposes a membership change; completes once it is applied here (committed in the proposer's term).
   * {@code refusal} runs on the loop thread just before: a non-null answer fails the proposal with it,
   * so a check of the replicated membership and the proposal see the same state.
   */
  CompletableFuture<byte[]> proposeConfChange(ConfChange change, Function<Status, NodeException> refusal) {
    CompletableFuture<byte[]> f = stuck.write(new CompletableFuture<>());
    post(f::completeExceptionally, c -> {
      try {
        NodeException refused = refusal.apply(c.status());
        if (refused != null) {
          completer.fail(f, refused);
          return;
        }
        long term = c.status().term();
        proposals.add(c.proposeConfChange(change), term, f, System.nanoTime() + timeoutNanos);
      } catch (ProposalRejectedException e) {
        completer.fail(f, NodeException.from(e));
      }
    });
    return f;
  }

  /** Internal work posted by helpers (snapshot completion); nothing waits on it. */
  private void post(Consumer<RaftNode> body) {
    post(e -> { }, body);
  }

  private void post(Consumer<Throwable> onStop, Consumer<RaftNode> body) {
    intake.addTask(body, onStop);
    wake();
  }

  private void wake() {
    signal.signal();
    if (!running) failQueued(); // loop gone: nobody else will complete what was just queued
  }

  // ------------------------------------------------------------------ observation

  public long nodeId() {
    return config.nodeId();
  }

  /** This node's Raft state and counters for metrics (read at scrape time, from any thread). */
  public NodeMetrics metrics() {
    return metrics;
  }

  /** The leader as of the last Ready (0 = unknown). */
  public long leaderId() {
    return leaderId;
  }

  public boolean isLeader() {
    return leaderId == config.nodeId();
  }

  public boolean isRunning() {
    return running && thread != null && thread.isAlive();
  }

  /**
   * Why this node refuses requests while its loop waits for disk space (the log store's message naming
   * the limit), or null while its writes succeed. {@link DiskSpaceWait}
   */
  public String diskLimitReached() {
    return disk.refusal();
  }

  /** On the loop thread between attempts to write while the disk is full: answer who would otherwise wait. */
  private void whileWaitingForDisk() {
    long now = System.nanoTime();
    proposals.expire(now);
    reads.expire(now);
    NodeException refused = disk.refusedRequest();
    if (refused != null) intake.failRequests(refused);
  }

  /** The error that stopped the loop, or null. */
  public Throwable failure() {
    return failure;
  }

  public NodeStatus status() {
    return status;
  }

  public NodeConfig config() {
    return config;
  }

  /** Membership changes and leadership transfer (forwarded to the leader when needed). */
  public MembershipManager membership() {
    return membership;
  }

  AddressBook addressBook() {
    return members.book();
  }

  /** The applied membership and its joining learners (membership changes read it). */
  MemberRegistry members() {
    return members;
  }

  ForwardClient forwardClient() {
    return forwardClient;
  }

  // ------------------------------------------------------------------ the loop thread

  private void run() {
    long tickNanos = LoopSignal.millisToNanos(config.heartbeatMs());
    long nextTick = System.nanoTime() + tickNanos;
    try {
      while (running) {
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          // Never two ticks less than an interval apart, even after a stall: a follower's promise not
          // to vote (electionTicks of its ticks) must last that long in real time (LeaseClock).
          leaseClock.beforeTick(now);
          core.tick();
          nextTick = now + tickNanos;
          proposals.expire(now);
          reads.expire(now);
          if (leaderId != 0) reads.leaderKnown(); // reads refused while the new leader settled in
          publishStatus();
        }
        drainInputs();
        boolean progressed = handleReadies();
        snapshots.maybeStart();
        boolean readsToSend = reads.canSendHeld(System.nanoTime()); // the last round was just answered
        if ((!progressed || !core.hasReady()) && !readsToSend) signal.await(Math.max(0, nextTick - System.nanoTime()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      if (t instanceof DiskLimitReachedException && !running) {
        LOG.warning("node " + config.nodeId() + " stopped while waiting for disk space: its last write was not stored");
      } else {
        failure = t;
        LOG.log(Level.SEVERE, "raft loop of node " + config.nodeId() + " failed; the node stops", t);
      }
    } finally {
      running = false;
      proposals.failAll("node stopped before the write's outcome was known");
      reads.failAll("node stopped");
      failQueued();
      inbox.clear();
    }
    if (failure != null) fatalListener.accept(failure);
  }

  private void drainInputs() {
    inbox.drainInto(core);
    intake.drainInto(core, config.readLease() && isLeader(), leaseClock);
  }

  /** Handles pending Readies; false when the core claimed work but produced none (never spin on that). */
  private boolean handleReadies() {
    for (int i = 0; i < MAX_READIES_PER_PASS && core.hasReady(); i++) {
      Ready rd = core.ready();
      if (rd.isEmpty()) {
        core.advance(rd);
        return false;
      }
      if (rd.softState() != null) {
        long previous = leaderId;
        leaderId = rd.softState().role() == Role.LEADER ? config.nodeId() : rd.softState().leader();
        if (leaderId != previous) reads.onLeaderChange(leaderId, System.nanoTime());
      }
      leadership.onReady(rd);
      readyHandler.handle(rd);
      core.advance(rd);
      if (rd.softState() != null || rd.confState() != null) publishStatus();
    }
    return true;
  }

  private void publishStatus() {
    Status s = core.status();
    noticeRemoval();
    members.releaseDeparted(s, System.nanoTime());
    status = new NodeStatus(s, snapshots.lastSnapshotIndex(), members.book().all(), storage.firstIndex(),
        storage.lastIndex(), snapshots.installedCount(), removed, members.appliedConf());
  }

  /**
   * A node that applied its own removal no longer votes or campaigns (the core only campaigns as a
   * voter); say so once, loudly, so the operator stops it. Only an applied (committed) removal counts:
   * one merely appended may still be overwritten by a new leader. A removed node that never learned of
   * its removal is kept out by PreVote and check-quorum: the members' leases reject its campaigns.
   */
  private void noticeRemoval() {
    boolean member = members.appliedConf().isMember(config.nodeId());
    if (member) {
      wasMember = true;
      removed = false;
    } else if (wasMember && !removed) {
      removed = true;
      LOG.warning("node " + config.nodeId() + " was removed from the cluster (members now " + members.appliedConf()
          + "): it no longer takes part; stop it and delete its data directory before reusing the machine");
    }
  }

  private void failQueued() {
    intake.failAll(new NodeException.Unavailable("node is not running", 1));
  }

  /** Stops the loop thread (bounded wait); pending requests fail. Transport and storage are closed by the owner. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    signal.signal();
    if (t != null) {
      try {
        t.join(CLOSE_WAIT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        // The loop is wedged (a stuck fsync, a blocked task): it may never reach its own cleanup.
        LOG.severe("raft loop of node " + config.nodeId() + " did not stop within " + CLOSE_WAIT_MS
            + " ms; failing its " + stuck.size() + " pending requests");
        stuck.failAll();
        failQueued();
      }
    }
    membership.close();
    snapshots.close();
    completer.close();
  }
}
