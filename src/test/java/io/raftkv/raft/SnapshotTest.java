package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.Status.PeerProgress.State;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  /** Leader and one follower compact while {@code lagging} is cut off. */
  private static long compactWhileLagging(RaftTestCluster c, long lagging) {
    long leader = c.leader();
    c.isolate(lagging);
    for (int i = 0; i < 20; i++) c.propose(leader, "v" + i);
    for (long id = 1; id <= 3; id++) if (id != lagging) c.compact(id);
    assertThat(c.storages.get(leader).firstIndex()).isEqualTo(25);
    return leader;
  }

  @Test
  void followerBehindTheCompactedLogIsSentASnapshotAndCatchesUp() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long lagging = leader == 3 ? 2 : 3;
    compactWhileLagging(c, lagging);
    c.heal();
    c.tickAll(3);
    assertThat(c.sent).anyMatch(m -> m.type() == MessageType.SNAPSHOT && m.to() == lagging
        && m.snapshot().index() == 24 && m.snapshot().conf().equals(ConfState.ofVoters(1L, 2L, 3L)));
    assertThat(c.installedSnapshots).extracting(SnapshotMeta::index).containsExactly(24L);
    assertThat(c.storages.get(lagging).snapshot().index()).isEqualTo(24);
    assertThat(c.node(lagging).status().commitIndex()).isEqualTo(24);
    c.propose(leader, "after");
    assertThat(c.appliedData(lagging)).hasSize(21).endsWith("after");
    assertThat(c.node(leader).status().progress().get(lagging).state()).isEqualTo(State.REPLICATE);
  }

  @Test
  void failedSnapshotFallsBackToProbingAndIsRetried() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long lagging = leader == 3 ? 2 : 3;
    compactWhileLagging(c, lagging);
    c.heal();
    c.reportSnapshots = false;
    c.dropIf(m -> m.type() == MessageType.SNAPSHOT);
    c.tickAll(1);
    RaftNode n = c.node(leader);
    assertThat(n.status().progress().get(lagging).state()).isEqualTo(State.SNAPSHOT);
    c.sent.clear();
    c.tickAll(3); // nothing but heartbeats while the snapshot is outstanding
    assertThat(c.sent).noneMatch(m -> m.to() == lagging && m.type() != MessageType.HEARTBEAT);
    n.reportSnapshot(lagging, false);
    assertThat(n.status().progress().get(lagging).state()).isEqualTo(State.PROBE);
    c.heal();
    c.tickAll(3);
    assertThat(c.node(lagging).status().commitIndex()).isEqualTo(n.status().commitIndex());
  }

  @Test
  void nodeJoiningAfterCompactionLearnsMembershipFromTheSnapshot() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.node(leader).proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, 4, null));
    c.stabilize();
    for (int i = 0; i < 5; i++) c.propose(leader, "v" + i);
    for (long id = 1; id <= 3; id++) c.compact(id);
    c.start(4, ConfState.EMPTY);
    c.tickAll(3);
    assertThat(c.node(4).status().conf()).isEqualTo(new ConfState(java.util.Set.of(1L, 2L, 3L), java.util.Set.of(4L)));
    assertThat(c.appliedData(4)).hasSize(5);
    assertThat(c.node(4).status().role()).isEqualTo(Role.LEARNER);
  }

  @Test
  void restartAfterCompactionRecoversMembershipAndCommit() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    for (int i = 0; i < 5; i++) c.propose(leader, "v" + i);
    c.compact(leader);
    c.node(leader).proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, 7, null));
    c.stabilize();
    RaftNode restarted = c.restart(leader);
    Status s = restarted.status();
    assertThat(s.conf()).isEqualTo(new ConfState(java.util.Set.of(1L, 2L, 3L), java.util.Set.of(7L)));
    assertThat(s.appliedIndex()).isEqualTo(c.appliedIndex.get(leader));
    assertThat(s.role()).isEqualTo(Role.FOLLOWER);
    c.electLeader();
    c.propose(c.leader(), "later");
    assertThat(c.appliedData(leader)).endsWith("later");
  }

  @Test
  void restartWithAppliedIndexBelowTheSnapshotIsRefused() {
    MemoryStorage st = new MemoryStorage();
    st.applySnapshot(new SnapshotMeta(10, 2, ConfState.ofVoters(1L)));
    st.setHardState(new HardState(2, 1, 10));
    assertThatThrownBy(() -> new RaftNode(RaftConfig.defaults(1), st, ConfState.EMPTY, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the log's snapshot");
    RaftNode ok = new RaftNode(RaftConfig.defaults(1).withAppliedIndex(10), st, ConfState.EMPTY, new SplittableRandom(1));
    assertThat(ok.status().conf()).isEqualTo(ConfState.ofVoters(1L));
  }

  /** A durable log that keeps a tail below its snapshot (as the JE store does for slow followers). */
  private record TailRetaining(MemoryStorage log, SnapshotMeta snap) implements LogView {
    public HardState hardState() { return log.hardState(); }
    public SnapshotMeta snapshot() { return snap; }
    public long firstIndex() { return log.firstIndex(); }
    public long lastIndex() { return log.lastIndex(); }
    public long term(long i) { return log.term(i); }
    public java.util.List<Entry> entries(long lo, long hi, long max) { return log.entries(lo, hi, max); }
  }

  @Test
  void restartOverALogWithATailBelowItsSnapshot() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    for (int i = 0; i < 10; i++) c.propose(leader, "v" + i);
    c.node(leader).proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, 9, null));
    c.stabilize();
    c.propose(leader, "last"); // index 16; the learner entry is at 15
    MemoryStorage st = c.storages.get(leader);
    st.compact(8, ConfState.ofVoters(1L, 2L, 3L)); // entries 9..16 kept as the tail
    SnapshotMeta snap = new SnapshotMeta(12, st.term(12), ConfState.ofVoters(1L, 2L, 3L));
    RaftNode n = new RaftNode(RaftConfig.defaults(leader).withAppliedIndex(16), new TailRetaining(st, snap),
        ConfState.EMPTY, new SplittableRandom(3));
    Status s = n.status();
    assertThat(s.conf()).isEqualTo(new ConfState(java.util.Set.of(1L, 2L, 3L), java.util.Set.of(9L)));
    assertThat(s.appliedIndex()).isEqualTo(16);
    assertThat(s.lastIndex()).isEqualTo(16);
  }
}
