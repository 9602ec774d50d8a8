package io.raftkv.raft.scenario;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.MemoryStorage;
import io.raftkv.raft.RaftConfig;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.raft.TestDeviation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One scenario member: its durable storage (the core's {@link MemoryStorage}, which survives a crash), its (volatile) Raft core and a trivial state machine that
 * records the applied command strings. A crash drops the core and the state machine; a restart
 * rebuilds both from storage, the state machine from the latest snapshot.
 */
final class SimNode {

  /** An applied command: the log index it came from and its data. */
  record Applied(long index, String data) {}

  final long id;
  private final RaftConfig config;
  private final Set<TestDeviation> deviations;
  private final ConfState bootstrap;
  private final long seed;
  final MemoryStorage storage = new MemoryStorage();
  private RaftNode raft;
  private int incarnation;
  private long appliedIndex;
  private final List<Applied> applied = new ArrayList<>();

  SimNode(long id, RaftConfig config, Set<TestDeviation> deviations, ConfState bootstrap, long seed) {
    this.id = id;
    this.config = config;
    this.deviations = Set.copyOf(deviations);
    this.bootstrap = bootstrap;
    this.seed = seed;
    start(List.of());
  }

  private void start(List<Applied> restoredState) {
    applied.clear();
    applied.addAll(restoredState);
    appliedIndex = storage.snapshot().index();
    // A distinct but reproducible random stream per node and incarnation.
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + id * 1_009L + incarnation);
    raft = TestDeviation.inject(new RaftNode(config.withAppliedIndex(appliedIndex), storage, bootstrap, random), deviations);
  }

  boolean isUp() {
    return raft != null;
  }

  RaftNode raft() {
    if (raft == null) throw new IllegalStateException("node " + id + " is crashed");
    return raft;
  }

  RaftConfig config() {
    return config;
  }

  /** Loses everything volatile: the core and the in-memory state machine. */
  void crash() {
    raft = null;
    applied.clear();
    appliedIndex = 0;
  }

  void restart(List<Applied> snapshotState) {
    incarnation++;
    start(snapshotState);
  }

  long appliedIndex() {
    return appliedIndex;
  }

  List<Applied> applied() {
    return List.copyOf(applied);
  }

  void apply(Entry e) {
    if (e.index() != appliedIndex + 1) {
      throw new IllegalStateException("node " + id + " applying " + e.index() + " after " + appliedIndex);
    }
    appliedIndex = e.index();
    if (e.type() == EntryType.NORMAL && e.data().length > 0) applied.add(new Applied(e.index(), Format.text(e.data())));
  }

  void restoreSnapshot(SnapshotMeta meta, List<Applied> state) {
    applied.clear();
    applied.addAll(state);
    appliedIndex = meta.index();
  }

  /** The state machine's content up to {@code index} (which must be applied). */
  List<Applied> stateAt(long index) {
    return applied.stream().filter(a -> a.index() <= index).toList();
  }

  /** Every entry still in the durable log (after the snapshot). */
  List<Entry> logEntries() {
    return storage.entries(storage.firstIndex(), storage.lastIndex() + 1, Long.MAX_VALUE);
  }

  /** Membership as of {@code index}: the snapshot's conf plus the conf changes logged after it. */
  ConfState confAt(long index) {
    SnapshotMeta snap = storage.snapshot();
    Set<Long> voters = new HashSet<>(snap.conf().voters());
    Set<Long> learners = new HashSet<>(snap.conf().learners());
    for (Entry e : logEntries()) {
      if (e.index() > index || e.type() != EntryType.CONF_CHANGE) continue;
      ConfChange cc = ConfChange.decode(e.data());
      voters.remove(cc.nodeId());
      learners.remove(cc.nodeId());
      if (cc.type() == ConfChange.Type.ADD_VOTER) voters.add(cc.nodeId());
      if (cc.type() == ConfChange.Type.ADD_LEARNER) learners.add(cc.nodeId());
    }
    return new ConfState(voters, learners);
  }
}
