package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {

  @Test
  void everyInitialMemberWritesTheSameSelfDescribingLog() {
    ConfState conf = ConfState.ofVoters(3L, 1L, 2L);
    Ready first = null;
    for (long id = 1; id <= 3; id++) {
      RaftNode n = new RaftNode(RaftConfig.defaults(id), new MemoryStorage(), conf, new SplittableRandom(id));
      Ready rd = n.ready();
      assertThat(rd.hardState()).isEqualTo(new HardState(1, 0, 3));
      assertThat(rd.confState()).isEqualTo(conf);
      assertThat(rd.committedEntries()).isEqualTo(rd.entries());
      assertThat(rd.mustSync()).isTrue();
      if (first == null) first = rd;
      assertThat(rd.entries()).isEqualTo(first.entries());
    }
    List<Entry> ents = first.entries();
    assertThat(ents).extracting(Entry::index).containsExactly(1L, 2L, 3L);
    assertThat(ents).allMatch(e -> e.term() == 1 && e.type() == EntryType.CONF_CHANGE);
    assertThat(ents).extracting(e -> ConfChange.decode(e.data())).containsExactly(
        new ConfChange(ConfChange.Type.ADD_VOTER, 1, null),
        new ConfChange(ConfChange.Type.ADD_VOTER, 2, null),
        new ConfChange(ConfChange.Type.ADD_VOTER, 3, null));
  }

  @Test
  void restartedNodeIgnoresBootstrapAndRecoversFromItsLog() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.propose(leader, "a");
    MemoryStorage st = c.storages.get(leader);
    RaftNode again = new RaftNode(RaftConfig.defaults(leader).withAppliedIndex(c.appliedIndex.get(leader)), st,
        ConfState.ofVoters(9L), new SplittableRandom(1));
    Status s = again.status();
    assertThat(s.conf()).isEqualTo(ConfState.ofVoters(1L, 2L, 3L));
    assertThat(s.term()).isEqualTo(st.hardState().term());
    assertThat(s.vote()).isEqualTo(st.hardState().vote());
    assertThat(s.commitIndex()).isEqualTo(st.hardState().commit());
    assertThat(s.lastIndex()).isEqualTo(st.lastIndex());
    Ready rd = again.ready();
    assertThat(rd.entries()).isEmpty();
    assertThat(rd.committedEntries()).isEmpty(); // already applied
  }

  @Test
  void nodeWithEmptyLogAndNoBootstrapWaitsToBeAdded() {
    RaftNode n = new RaftNode(RaftConfig.defaults(4), new MemoryStorage(), ConfState.EMPTY, new SplittableRandom(1));
    for (int i = 0; i < 100; i++) n.tick();
    assertThat(n.status().term()).isZero();
    assertThat(n.status().conf()).isEqualTo(ConfState.EMPTY);
    Ready rd = n.ready();
    assertThat(rd.messages()).isEmpty();
    assertThat(rd.entries()).isEmpty();
    assertThat(rd.confState()).isNull(); // not a member yet: nothing changed for the driver
  }

  @Test
  void restartResumesApplyingAfterAppliedIndex() {
    RaftTestCluster c = RaftTestCluster.of(1);
    c.electLeader();
    c.propose(1, "a");
    c.propose(1, "b");
    MemoryStorage st = c.storages.get(1L);
    RaftNode again = new RaftNode(RaftConfig.defaults(1).withAppliedIndex(2), st, ConfState.EMPTY,
        new SplittableRandom(1));
    Ready rd = again.ready();
    assertThat(rd.committedEntries()).extracting(Entry::index).containsExactly(3L, 4L);
    assertThat(rd.committedEntries()).extracting(e -> new String(e.data())).containsExactly("a", "b");
    assertThat(Set.copyOf(rd.confState().voters())).containsExactly(1L);
  }
}
