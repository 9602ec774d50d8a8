package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.raftkv.raft.Status.PeerProgress.State;
import org.junit.jupiter.api.Test;

class ReadyTest {

  @Test
  void readyReportsOnlyWhatChangedAndCommitOnlyChangesNeedNoSync() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long follower = leader == 1 ? 2 : 1;
    RaftNode f = c.node(follower);
    assertThat(f.hasReady()).isFalse();
    // An append: entries and an ack to persist first; commit unchanged.
    c.node(leader).propose(new byte[] {1});
    c.processReadies(); // leader sends the APPEND
    Ready rd;
    c.stabilize();
    rd = c.lastReady.get(follower);
    assertThat(rd.softState()).isNull();
    assertThat(rd.hardState()).isNotNull(); // the commit moved
    assertThat(rd.entries()).isEmpty(); // the entry was persisted in an earlier Ready
    assertThat(rd.mustSync()).isFalse(); // only commit changed
    assertThat(rd.committedEntries()).hasSize(1);
  }

  @Test
  void softStateIsReportedOnRoleAndLeaderChanges() {
    RaftTestCluster c = RaftTestCluster.of(1);
    RaftNode n = c.node(1);
    Ready first = n.ready();
    assertThat(first.softState()).isEqualTo(new SoftState(0, Role.FOLLOWER));
    c.storages.get(1L).append(first.entries());
    c.storages.get(1L).setHardState(first.hardState());
    n.advance(first);
    n.campaign();
    Ready rd = n.ready();
    assertThat(rd.softState()).isEqualTo(new SoftState(1, Role.LEADER));
    assertThat(rd.hardState().vote()).isEqualTo(1);
    assertThat(rd.mustSync()).isTrue();
    assertThat(rd.fromLeader()).isTrue();
  }

  @Test
  void committedEntriesAreBoundedPerReady() {
    RaftTestCluster c = RaftTestCluster.of(1, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(250));
    c.electLeader();
    RaftNode n = c.node(1);
    for (int i = 0; i < 10; i++) n.propose(new byte[76]); // 100 bytes each
    Ready rd = n.ready();
    c.storages.get(1L).append(rd.entries());
    n.advance(rd); // persisted: now committed
    Ready next = n.ready();
    assertThat(next.committedEntries()).hasSize(2);
    n.advance(next);
    assertThat(n.ready().committedEntries()).hasSize(2);
  }

  @Test
  void uncommittedBytesLimitRejectsProposals() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(1000)
        .withMaxCommittedBytesPerReady(1 << 20));
    long leader = c.electLeader();
    for (long id = 1; id <= 3; id++) if (id != leader) c.isolate(id);
    RaftNode n = c.node(leader);
    for (int i = 0; i < 9; i++) n.propose(new byte[76]);
    ProposalRejectedException e = catchThrowableOfType(ProposalRejectedException.class, () -> {
      n.propose(new byte[76]);
      n.propose(new byte[76]);
    });
    assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.UNCOMMITTED_LIMIT);
    c.heal();
    c.tickAll(2);
    n.propose(new byte[76]); // committed and applied: budget freed
  }

  @Test
  void unreachablePeerIsProbedAndStatusShowsProgress() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long follower = leader == 1 ? 2 : 1;
    RaftNode n = c.node(leader);
    Status s = n.status();
    assertThat(s.progress()).containsOnlyKeys(1L, 2L, 3L);
    assertThat(s.progress().get(follower).state()).isEqualTo(State.REPLICATE);
    assertThat(s.progress().get(follower).match()).isEqualTo(s.lastIndex());
    n.reportUnreachable(follower);
    assertThat(n.status().progress().get(follower).state()).isEqualTo(State.PROBE);
    assertThat(c.node(follower).status().progress()).isEmpty();
    c.tickAll(1);
    assertThat(n.status().progress().get(follower).state()).isEqualTo(State.REPLICATE);
  }

  @Test
  void inflightWindowBoundsUnacknowledgedAppends() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxSizePerMsg(100)
        .withMaxInflightMsgs(3).withMaxUncommittedBytes(0).withMaxCommittedBytesPerReady(1 << 20));
    long leader = c.electLeader();
    long follower = leader == 1 ? 2 : 1;
    c.dropIf(m -> m.type() == MessageType.APPEND_RESPONSE && m.from() == follower);
    c.sent.clear();
    RaftNode n = c.node(leader);
    for (int i = 0; i < 10; i++) n.propose(new byte[60]); // one entry per message (100 B limit)
    c.stabilize();
    long appends = c.sent.stream().filter(m -> m.type() == MessageType.APPEND && m.to() == follower).count();
    assertThat(appends).isEqualTo(3);
    assertThat(n.status().progress().get(follower).inflight()).isEqualTo(3);
    c.heal();
    c.tickAll(3);
    assertThat(c.node(follower).status().commitIndex()).isEqualTo(n.status().commitIndex());
  }

  @Test
  void commitAdvancesReachEachFollowerInOneMessagePerReady() {
    RaftTestCluster c = RaftTestCluster.of(5);
    long leader = c.electLeader();
    RaftNode n = c.node(leader);
    java.util.List<Message> acks = new java.util.ArrayList<>();
    long last = 0;
    for (int round = 0; round < 2; round++) { // two entries in two separate APPEND rounds
      last = n.propose(new byte[] {(byte) round});
      Ready rd = n.ready();
      c.storages.get(leader).append(rd.entries());
      n.advance(rd);
      for (Message m : rd.messages()) {
        RaftNode f = c.node(m.to());
        f.step(m);
        Ready fr = f.ready();
        c.storages.get(m.to()).append(fr.entries());
        if (fr.hardState() != null) c.storages.get(m.to()).setHardState(fr.hardState());
        f.advance(fr);
        acks.addAll(fr.messages());
      }
    }
    acks.forEach(n::step); // commit advances twice before the leader's next Ready
    Ready next = n.ready();
    final long lastIndex = last;
    assertThat(next.messages()).hasSize(4)
        .allMatch(m -> m.type() == MessageType.APPEND && m.commit() == lastIndex && m.entries().isEmpty());
  }

  @Test
  void hasReadyOnlyLooks() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    RaftNode n = c.node(leader);
    n.propose("a".getBytes());
    // Asking must not act: a hasReady() that flushed would send "a" alone, then "b" in a second APPEND.
    assertThat(n.hasReady()).isTrue();
    assertThat(n.hasReady()).isTrue();
    n.propose("b".getBytes());
    Ready rd = n.ready();
    assertThat(rd.messages()).hasSize(2).allSatisfy(m -> {
      assertThat(m.type()).isEqualTo(MessageType.APPEND);
      assertThat(m.entries()).extracting(Entry::data).containsExactly("a".getBytes(), "b".getBytes());
    });
  }

  @Test
  void feedbackIsALocalMessageThatNoPeerMaySend() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long follower = leader == 1 ? 2 : 1;
    for (MessageType t : MessageType.LOCAL) {
      Message fromPeer = Message.builder(t, follower, leader, 0).build();
      assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> c.node(leader).step(fromPeer)))
          .hasMessageContaining("local message " + t);
    }
    assertThat(c.node(leader).status().progress().get(follower).state()).isEqualTo(State.REPLICATE);
    c.node(leader).reportUnreachable(follower); // the same message, from the driver
    assertThat(c.node(leader).status().progress().get(follower).state()).isEqualTo(State.PROBE);
  }
}
