package io.raftkv.sim;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Message;
import io.raftkv.raft.ProposalRejectedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A whole simulated cluster and its clients, advanced one virtual step at a time by one seeded random
 * generator. A run is a fault phase followed by a calm phase (network healed and reliable, every member
 * restarted, no new faults) that must converge; see {@link RunVerifier} for the end-of-run checks.
 */
final class SimCluster implements NodeHost, SimClient.Cluster {

  /** Summary of a passing run. */
  record Outcome(long traceHash, int historyHash, int operations, long ok, long timedOut, long failed,
                 Map<String, Integer> faults, long leaderAfterSteps, String network, Map<String, Integer> okByKind) {}

  private final Scenario sc;
  private final SplittableRandom random;
  private final String replayCommand;
  private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  private final SimNetwork network;
  private final SafetyChecker safety = new SafetyChecker();
  private final History history = new History();
  private final Trace trace;
  private final List<SimClient> clients = new ArrayList<>();
  private final FaultSchedule faults;
  private final Set<Long> toRetire = new TreeSet<>();
  /** A leader's "not a member" answer about a stray node, awaiting the ReadIndex round that confirms it. */
  private record RemovalCheck(long leader, long term, long token) {}
  private final Map<Long, RemovalCheck> removalChecks = new HashMap<>();
  private long nextOperatorToken = 1;
  private final ConfState bootstrap;
  /** Membership as of the highest applied conf change anywhere (what an operator would call the cluster). */
  private ConfState committedConf;
  private long committedConfIndex;
  private final Map<Long, RunVerifier.Applied> appliedOps = new HashMap<>();
  private long now;
  private boolean calm;
  private long calmStart;
  private long leaderSeenAt = -1;
  private long nextNodeId;

  SimCluster(Scenario sc, String replayCommand, boolean verbose) {
    this.sc = sc;
    this.random = new SplittableRandom(sc.seed);
    this.replayCommand = replayCommand;
    this.trace = new Trace(verbose);
    this.network = new SimNetwork(random, sc.network);
    this.faults = new FaultSchedule(sc, random, this);
    Set<Long> voters = new HashSet<>();
    for (long id = 1; id <= sc.nodes; id++) voters.add(id);
    this.bootstrap = new ConfState(voters, Set.of());
    this.committedConf = bootstrap;
    nextNodeId = sc.nodes + 1;
    Map<String, String> lastSeen = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < sc.keys; k++) keys.add("k" + k);
    for (long c = 1; c <= sc.clients; c++) {
      clients.add(new SimClient(c, this, random, sc, keys, lastSeen));
    }
  }

  Outcome run() {
    try {
      for (long id = 1; id <= sc.nodes; id++) createNode(id, bootstrap).start();
      for (now = 1; now <= sc.totalSteps(); now++) step();
      RunVerifier verifier = new RunVerifier(sc, this);
      long catchUpEnd = now + verifier.catchUpAllowance();
      if (catchUpEnd > now) {
        count("calm phase extended for catch-up");
        log("catch-up: up to " + (catchUpEnd - now) + " more calm steps for lagging members");
      }
      for (; now < catchUpEnd && !verifier.converged(); now++) step();
      verifier.checkLiveness(calmStart, leaderSeenAt);
      int timedOut = verifier.resolveUnknownOutcomes(appliedOps);
      verifier.checkLinearizable(history);
      return new Outcome(trace.hash(), history.operations().toString().hashCode(), history.operations().size(), history.count(Operation.Status.OK),
          timedOut, history.count(Operation.Status.FAILED),
          Map.copyOf(faults.counts()), leaderSeenAt - calmStart, network.stats(), okByKind(history));
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /** Successful operations by kind; txns by branch, ranges with items or counts. */
  private static Map<String, Integer> okByKind(History history) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Operation o : history.operations()) {
      if (o.status() != Operation.Status.OK) continue;
      String kind = o.op().kind().name().toLowerCase() + (o.op().ttlSeconds() > 0 ? " ttl" : "");
      if (o.result().txn() != null) kind += o.result().ok() ? " then" : " else";
      if (o.result().range() != null) {
        kind += o.op().range().countOnly() ? " count" : o.result().range().entries().isEmpty() ? " empty" : " items";
        if (o.result().range().more()) counts.merge("range more", 1, Integer::sum);
      }
      counts.merge(kind, 1, Integer::sum);
    }
    return counts;
  }

  private SimulationFailure failure(RuntimeException e) {
    String nodeStates = nodes.values().stream().map(Object::toString).collect(Collectors.joining("\n  ", "  ", ""));
    String message = "Simulation failed: seed=" + sc.seed + " step=" + now + " (" + e + ")\n"
        + "Replay: " + replayCommand + "\n" + "Scenario: " + sc + "\n" + "Nodes:\n" + nodeStates + "\n"
        + "Events:\n" + trace.tail();
    return new SimulationFailure(sc.seed, message, e);
  }

  private void step() {
    if (now == sc.faultSteps + 1) enterCalm();
    if (!calm) faults.inject();
    for (SimNetwork.Packet p : network.due(now)) deliver(p);
    for (SimNode n : upNodes()) {
      if ((now + n.id()) % sc.tickEvery == 0 && n.isUp()) {
        n.tick();
        n.processReadies();
      }
    }
    boolean mayStart = now <= sc.totalSteps() - sc.drainSteps;
    for (SimClient c : clients) c.step(mayStart);
    for (SimNode n : upNodes()) n.stepExpiry(mayStart);
    for (SimNode n : upNodes()) n.processReadies();
    for (long id : toRetire) {
      SimNode n = nodes.get(id);
      if (n != null && !n.isRetired()) {
        n.retire();
        count("node retired");
        log("node " + id + " retired after its removal was applied");
      }
    }
    toRetire.clear();
    safety.afterStep(nodes.values());
    if (calm) {
      SimNode leader = leader();
      if (leader != null) retireStrangers(leader);
      if (leaderSeenAt < 0 && stableLeader() != null) leaderSeenAt = now;
    }
  }

  /**
   * The careful operator of docs/membership.md ("An add whose outcome is unknown"): a node the leader
   * does not list and whose addition no one applied may still become a voter, since its CONF_CHANGE
   * can survive in another log and be committed by a later leader (sim seed 504752). So before shutting
   * such a node down the operator asks the leader to remove it, and trusts a "not a member" (INVALID)
   * only once a ReadIndex round started after that answer confirms the same leader in the same term:
   * the core says INVALID only after the leader committed an entry of its term with no change pending,
   * so no entry it lacks can commit later, unless it had already been deposed (a stale leader answered
   * "not a member" in that seed too). Any other answer, or a new leader: ask again.
   */
  private void retireStrangers(SimNode leader) {
    ConfState leaderConf = leader.core().status().conf();
    for (SimNode n : nodes.values()) {
      if (n.isRetired() || leaderConf.isMember(n.id()) || committedConf.isMember(n.id())) continue;
      RemovalCheck check = removalChecks.get(n.id());
      if (check != null && check.leader() == leader.id() && check.term() == leader.term()) {
        if (leader.operatorReadConfirmed(check.token())) {
          n.retire();
          removalChecks.remove(n.id());
          count("stray node retired");
          log("node " + n.id() + " retired: leader " + leader.id() + " (term " + check.term()
              + ", confirmed by ReadIndex) says it is not a member");
        }
        continue;
      }
      askLeaderToRemove(leader, n.id());
    }
  }

  private void askLeaderToRemove(SimNode leader, long id) {
    try {
      leader.core().proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, id, null));
      log("operator: removal of " + id + " proposed");
    } catch (ProposalRejectedException e) {
      if (e.reason() != ProposalRejectedException.Reason.INVALID) return;
      RemovalCheck check = new RemovalCheck(leader.id(), leader.term(), nextOperatorToken++);
      removalChecks.put(id, check);
      leader.startOperatorRead(check.token());
      log("operator: leader " + leader.id() + " says " + id + " is not a member; confirming with ReadIndex");
    }
  }

  private void deliver(SimNetwork.Packet p) {
    Message m = p.message();
    SimNode to = nodes.get(m.to());
    if (to == null || !to.isUp()) return;
    trace.mix(m.type().ordinal() * 1_000_003L + m.from() * 10_007L + m.to() * 101L + m.term() * 7 + m.index());
    if (trace.verbose()) trace.log(now, "deliver " + m);
    to.receive(m, p.snapshotData());
    to.processReadies();
  }

  private void enterCalm() {
    calm = true;
    calmStart = now;
    network.healAll();
    network.setProfile(SimNetwork.Profile.RELIABLE);
    for (SimNode n : nodes.values()) {
      n.armCrash(null);
      if (!n.isUp() && !n.isRetired()) n.start();
    }
    log("calm phase begins");
  }

  private SimNode createNode(long id, ConfState boot) {
    SimNode n = new SimNode(id, sc.raftConfig(id), sc.deviations, boot, new SimStorage(sc.persistVote), this, random,
        sc.plantedBugs(), sc.opTimeoutSteps);
    nodes.put(id, n);
    return n;
  }

  // ---- operations used by the fault schedule ----

  void addNode(long id) {
    createNode(id, ConfState.EMPTY).start();
  }

  long nextNodeId() {
    return nextNodeId++;
  }

  void crash(SimNode n) {
    n.crash();
  }

  void restart(SimNode n) {
    n.start();
  }

  SimNetwork network() {
    return network;
  }

  List<SimNode> upNodes() {
    List<SimNode> up = new ArrayList<>();
    for (SimNode n : nodes.values()) if (n.isUp()) up.add(n);
    return up;
  }

  List<SimNode> downNodes() {
    List<SimNode> down = new ArrayList<>();
    for (SimNode n : nodes.values()) if (!n.isUp() && !n.isRetired()) down.add(n);
    return down;
  }

  List<Long> memberIds() {
    List<Long> ids = new ArrayList<>();
    for (SimNode n : nodes.values()) if (!n.isRetired()) ids.add(n.id());
    return ids;
  }

  /** The live leader with the highest term, or null. */
  SimNode leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.isLeader() && (best == null || n.term() > best.term())) best = n;
    }
    return best;
  }

  /** A leader no live node has overtaken in term. */
  SimNode stableLeader() {
    SimNode l = leader();
    if (l == null) return null;
    for (SimNode n : nodes.values()) if (n.isUp() && n.term() > l.term()) return null;
    return l;
  }

  void log(String event) {
    trace.log(now, event);
  }

  // ---- NodeHost and SimClient.Cluster ----

  @Override
  public long now() {
    return now;
  }

  @Override
  public boolean send(Message m, byte[] snapshotData) {
    boolean queued = network.send(m, snapshotData, now);
    return queued || !network.isCut(m.from(), m.to());
  }

  @Override
  public SafetyChecker safety() {
    return safety;
  }

  @Override
  public Iterable<SimNode> liveNodes() {
    return nodes.values();
  }

  @Override
  public void onConfApplied(long node, long index, ConfChange change) {
    if (change.type() == ConfChange.Type.REMOVE_NODE) toRetire.add(change.nodeId());
    if (index > committedConfIndex) {
      committedConfIndex = index;
      committedConf = SimNode.applyChange(committedConf, change);
    }
  }

  @Override
  public void count(String event) {
    faults.counts().merge(event, 1, Integer::sum);
  }

  @Override
  public void onCommandApplied(SimStateMachine.Command command, KvOp.Result result) {
    appliedOps.computeIfAbsent(command.opId(), id -> new RunVerifier.Applied(result, history.tick()));
  }

  @Override
  public Trace trace() {
    return trace;
  }

  @Override
  public SimNode node(long id) {
    SimNode n = nodes.get(id);
    return n != null && n.isUp() ? n : null;
  }

  @Override
  public long anyNodeId() {
    List<Long> ids = new ArrayList<>();
    for (long id : committedConf.members()) {
      SimNode n = nodes.get(id);
      if (n != null && !n.isRetired()) ids.add(id);
    }
    if (ids.isEmpty()) ids = memberIds();
    return ids.get(random.nextInt(ids.size()));
  }

  @Override
  public History history() {
    return history;
  }
}
