package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A tiny synchronous driver for unit tests: N cores over {@link MemoryStorage}, a FIFO message pump
 * with cut links, and a toy state machine that checks every applied entry against a global
 * per-index record (state-machine safety).
 */
final class RaftTestCluster {
  final Map<Long, MemoryStorage> storages = new TreeMap<>();
  final Map<Long, RaftNode> nodes = new TreeMap<>();
  final Map<Long, List<Entry>> applied = new TreeMap<>();
  final Map<Long, Long> appliedIndex = new TreeMap<>();
  final Map<Long, ConfState> appliedConf = new TreeMap<>();
  final Map<Long, List<ReadState>> readStates = new TreeMap<>();
  final Map<Long, Ready> lastReady = new TreeMap<>();
  final List<Message> sent = new ArrayList<>();
  final List<SnapshotMeta> installedSnapshots = new ArrayList<>();
  /** Every entry applied by any node, by index: all nodes must apply the same entry at an index. */
  final Map<Long, Entry> committedLog = new TreeMap<>();
  private final ArrayDeque<Message> network = new ArrayDeque<>();
  private final Set<Long> cut = new HashSet<>();
  private final Set<List<Long>> cutLinks = new HashSet<>();
  private Predicate<Message> dropIf = m -> false;
  /** Whether the pump reports SNAPSHOT delivery outcomes to the sender, as a real transport does. */
  boolean reportSnapshots = true;
  /** When set, each delivered batch is shuffled and some messages are delivered twice. */
  private SplittableRandom chaos;
  private final Function<Long, RaftConfig> configs;
  /** Deliberate bugs switched on in every core this cluster starts (restarts included). */
  private final Set<Deviation> deviations;
  private final SplittableRandom seeds = new SplittableRandom(42);

  RaftTestCluster(Function<Long, RaftConfig> configs) {
    this(configs, Set.of());
  }

  RaftTestCluster(Function<Long, RaftConfig> configs, Set<Deviation> deviations) {
    this.configs = configs;
    this.deviations = Set.copyOf(deviations);
  }

  static RaftConfig config(long id) {
    return RaftConfig.defaults(id);
  }

  /** A cluster of voters 1..n, bootstrapped, default config. */
  static RaftTestCluster of(int n) {
    return of(n, RaftTestCluster::config);
  }

  static RaftTestCluster of(int n, Function<Long, RaftConfig> configs) {
    return of(n, configs, Set.of());
  }

  static RaftTestCluster of(int n, Function<Long, RaftConfig> configs, Set<Deviation> deviations) {
    RaftTestCluster c = new RaftTestCluster(configs, deviations);
    Long[] ids = new Long[n];
    for (int i = 0; i < n; i++) ids[i] = (long) i + 1;
    for (Long id : ids) c.start(id, ConfState.ofVoters(ids));
    return c;
  }

  RaftNode start(long id, ConfState bootstrap) {
    storages.putIfAbsent(id, new MemoryStorage());
    applied.putIfAbsent(id, new ArrayList<>());
    appliedIndex.putIfAbsent(id, 0L);
    appliedConf.putIfAbsent(id, ConfState.EMPTY);
    readStates.putIfAbsent(id, new ArrayList<>());
    RaftConfig cfg = configs.apply(id).withAppliedIndex(appliedIndex.get(id));
    RaftNode n = new RaftNode(cfg, storages.get(id), bootstrap, new SplittableRandom(seeds.nextLong()));
    deviations.forEach(n::deviate);
    nodes.put(id, n);
    return n;
  }

  /** Crash and restart: everything persisted survives (this driver persists before sending). */
  RaftNode restart(long id) {
    network.removeIf(m -> m.to() == id);
    return start(id, ConfState.EMPTY);
  }

  RaftNode node(long id) {
    return nodes.get(id);
  }

  void isolate(long id) {
    cut.add(id);
  }

  void heal() {
    cut.clear();
    cutLinks.clear();
    dropIf = m -> false;
  }

  void cutLink(long a, long b) {
    cutLinks.add(List.of(a, b));
    cutLinks.add(List.of(b, a));
  }

  void reorderAndDuplicate(SplittableRandom r) {
    chaos = r;
  }

  void dropIf(Predicate<Message> p) {
    dropIf = p;
  }

  /** Handles every node's Ready once, like one loop iteration of the real driver. */
  void processReadies() {
    for (long id : nodes.keySet()) {
      RaftNode n = nodes.get(id);
      if (n.hasReady()) handleReady(id, n, n.ready());
    }
  }

  private void handleReady(long id, RaftNode n, Ready rd) {
    lastReady.put(id, rd);
    MemoryStorage st = storages.get(id);
    if (rd.snapshot() != null) installSnapshot(id, rd.snapshot());
    st.append(rd.entries());
    if (rd.hardState() != null) st.setHardState(rd.hardState());
    for (Message m : rd.messages()) {
      sent.add(m);
      if (!cut.contains(m.from()) && !cut.contains(m.to()) && !cutLinks.contains(List.of(m.from(), m.to()))
          && !dropIf.test(m)) {
        network.add(m);
      } else if (reportSnapshots && m.type() == MessageType.SNAPSHOT) {
        n.reportSnapshot(m.to(), false);
      }
    }
    for (Entry e : rd.committedEntries()) apply(id, e);
    readStates.get(id).addAll(rd.readStates());
    n.advance(rd);
  }

  private void installSnapshot(long id, SnapshotMeta s) {
    installedSnapshots.add(s);
    storages.get(id).applySnapshot(s);
    List<Entry> sm = applied.get(id);
    sm.clear();
    for (Entry e : committedLog.values()) if (e.index() <= s.index()) sm.add(e);
    appliedIndex.put(id, s.index());
    appliedConf.put(id, s.conf());
  }

  private void apply(long id, Entry e) {
    long expected = appliedIndex.get(id) + 1;
    assertThat(e.index()).as("node %d applies in order", id).isEqualTo(expected);
    Entry prior = committedLog.putIfAbsent(e.index(), e);
    assertThat(prior == null ? e : prior).as("state machine safety at %d", e.index()).isEqualTo(e);
    applied.get(id).add(e);
    appliedIndex.put(id, e.index());
    if (e.type() == EntryType.CONF_CHANGE) {
      appliedConf.put(id, Membership.apply(appliedConf.get(id), ConfChange.decode(e.data())));
    }
  }

  /** Delivers messages and handles Readies until quiet (bounded). */
  void stabilize() {
    for (int round = 0; round < 10_000; round++) {
      processReadies();
      if (network.isEmpty()) {
        boolean any = false;
        for (RaftNode n : nodes.values()) any |= n.hasReady();
        if (!any) return;
        continue;
      }
      List<Message> batch = new ArrayList<>(network);
      network.clear();
      if (chaos != null) {
        for (int i = batch.size() - 1; i > 0; i--) java.util.Collections.swap(batch, i, chaos.nextInt(i + 1));
        if (!batch.isEmpty() && chaos.nextInt(20) == 0) batch.add(batch.get(chaos.nextInt(batch.size())));
      }
      for (Message m : batch) {
        RaftNode to = nodes.get(m.to());
        boolean delivered = to != null && !cut.contains(m.to());
        if (delivered) to.step(m);
        // Like a real transport, report how streaming the snapshot went.
        if (reportSnapshots && m.type() == MessageType.SNAPSHOT && nodes.containsKey(m.from())) {
          nodes.get(m.from()).reportSnapshot(m.to(), delivered);
        }
      }
    }
    throw new AssertionError("cluster did not stabilize");
  }

  void tick(long id, int times) {
    for (int i = 0; i < times; i++) {
      nodes.get(id).tick();
      stabilize();
    }
  }

  void tickAll(int times) {
    for (int i = 0; i < times; i++) {
      for (RaftNode n : nodes.values()) n.tick();
      stabilize();
    }
  }

  /** Ticks everybody until there is a leader every connected node agrees on. */
  long electLeader() {
    for (int i = 0; i < 500; i++) {
      tickAll(1);
      long l = leader();
      if (l != 0) return l;
    }
    throw new AssertionError("no leader elected");
  }

  /** The leader with the highest term, or 0. */
  long leader() {
    long best = 0;
    long bestTerm = -1;
    for (Map.Entry<Long, RaftNode> e : nodes.entrySet()) {
      Status s = e.getValue().status();
      if (s.role() == Role.LEADER && s.term() > bestTerm && !cut.contains(e.getKey())) {
        best = e.getKey();
        bestTerm = s.term();
      }
    }
    return best;
  }

  /** Proposes on the leader and runs until quiet; returns the index. */
  long propose(long leader, String data) {
    long idx = nodes.get(leader).propose(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    stabilize();
    return idx;
  }

  List<String> appliedData(long id) {
    List<String> out = new ArrayList<>();
    for (Entry e : applied.get(id)) {
      if (e.type() == EntryType.NORMAL && e.data().length > 0) {
        out.add(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /** The app snapshots at its applied index and compacts the durable log there. */
  void compact(long id) {
    long idx = appliedIndex.get(id);
    storages.get(id).compact(idx, appliedConf.get(id));
    nodes.get(id).onCompacted(storages.get(id).snapshot());
  }
}
