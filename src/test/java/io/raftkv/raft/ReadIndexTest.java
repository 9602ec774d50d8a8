package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadIndexTest {
  private static final byte[] CTX = {1, 2, 3};

  private static long follower(long leader) {
    return leader == 1 ? 2 : 1;
  }

  @Test
  void leaderReleasesReadOnlyAfterAQuorumAcknowledgesTheHeartbeatRound() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.propose(leader, "a");
    long commit = c.node(leader).status().commitIndex();
    for (long id = 1; id <= 3; id++) if (id != leader) c.isolate(id);
    c.node(leader).readIndex(CTX, false);
    c.stabilize();
    assertThat(c.readStates.get(leader)).isEmpty(); // no quorum, no answer
    assertThat(c.sent).anyMatch(m -> m.type() == MessageType.HEARTBEAT && m.context().length == 8);
    c.heal();
    c.tick(leader, 1); // the periodic heartbeat retries the pending round
    assertThat(c.readStates.get(leader)).containsExactly(new ReadState(commit, CTX));
  }

  @Test
  void followerForwardsToTheLeaderAndGetsTheReadState() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.propose(leader, "a");
    long f = follower(leader);
    c.node(f).readIndex(CTX, false);
    c.stabilize();
    assertThat(c.readStates.get(f)).containsExactly(new ReadState(c.node(leader).status().commitIndex(), CTX));
    assertThat(c.readStates.get(leader)).isEmpty();
  }

  @Test
  void readWithoutKnownLeaderIsRejected() {
    RaftTestCluster c = RaftTestCluster.of(3);
    ProposalRejectedException e = catchThrowableOfType(ProposalRejectedException.class, () -> c.node(1).readIndex(CTX, false));
    assertThat(e.reason()).isEqualTo(ProposalRejectedException.Reason.NOT_LEADER);
  }

  @Test
  void readIsPendingUntilTheLeaderCommittedAnEntryOfItsTerm() {
    RaftTestCluster c = RaftTestCluster.of(3);
    c.dropIf(m -> m.type() == MessageType.APPEND);
    c.node(1).campaign();
    c.stabilize();
    assertThat(c.node(1).status().role()).isEqualTo(Role.LEADER);
    c.node(1).readIndex(CTX, false);
    c.tick(1, 3);
    assertThat(c.readStates.get(1L)).isEmpty();
    c.heal();
    c.tick(1, 2);
    assertThat(c.readStates.get(1L)).containsExactly(new ReadState(4, CTX)); // the no-op's index
  }

  @Test
  void singleVoterAnswersAtOnce() {
    RaftTestCluster c = RaftTestCluster.of(1);
    c.electLeader();
    c.node(1).readIndex(CTX, false);
    Ready rd = c.node(1).ready();
    assertThat(rd.readStates()).containsExactly(new ReadState(2, CTX));
    assertThat(rd.messages()).isEmpty();
  }

  @Test
  void deviationAnswersWithoutQuorumCheck() {
    RaftTestCluster c = RaftTestCluster.of(3, RaftConfig::defaults, Set.of(Deviation.READ_INDEX_WITHOUT_QUORUM_CHECK));
    long leader = c.electLeader();
    for (long id = 1; id <= 3; id++) if (id != leader) c.isolate(id);
    c.node(leader).readIndex(CTX, false);
    c.stabilize();
    assertThat(c.readStates.get(leader)).hasSize(1);
  }

  @Test
  void leaseReadIsAnsweredWithoutARoundWhileTheLeaseHolds() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.tickAll(1); // a heartbeat round acknowledged by both followers
    for (long id = 1; id <= 3; id++) if (id != leader) c.isolate(id);
    RaftNode n = c.node(leader);
    n.readIndex(CTX, true);
    Ready rd = n.ready();
    assertThat(rd.readStates()).containsExactly(new ReadState(n.status().commitIndex(), CTX));
    assertThat(rd.messages()).noneMatch(m -> m.context().length > 0);
    n.advance(rd);
  }

  @Test
  void expiredLeaseFallsBackToAQuorumRound() {
    RaftTestCluster c = RaftTestCluster.of(3); // electionTicks 10, drift 1
    long leader = c.electLeader();
    c.tickAll(1);
    for (long id = 1; id <= 3; id++) if (id != leader) c.isolate(id);
    RaftNode n = c.node(leader);
    for (int i = 0; i < 8; i++) n.tick(); // acked heartbeat sent at t; now t+8 < t+10-1: still valid
    n.readIndex(new byte[] {1}, true);
    assertThat(n.ready().readStates()).hasSize(1);
    n.tick(); // now t+9: expired
    n.readIndex(new byte[] {2}, true);
    Ready rd = n.ready();
    assertThat(rd.readStates()).isEmpty();
    assertThat(rd.messages()).anyMatch(m -> m.type() == MessageType.HEARTBEAT && m.context().length == 8);
  }

  @Test
  void leaseIsNeverUsedWithoutCheckQuorum() {
    RaftTestCluster c = RaftTestCluster.of(3, id -> RaftConfig.defaults(id).withMaxUncommittedBytes(0)
        .withMaxCommittedBytesPerReady(1 << 20).withCheckQuorum(false));
    long leader = c.electLeader();
    c.tickAll(1);
    RaftNode n = c.node(leader);
    n.readIndex(CTX, true);
    Ready rd = n.ready();
    assertThat(rd.readStates()).isEmpty();
    assertThat(rd.messages()).anyMatch(m -> m.type() == MessageType.HEARTBEAT && m.context().length > 0);
  }

  @Test
  void requestsFromDifferentNodesWithTheSameContextAreAllAnsweredInOneRound() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    c.sent.clear();
    for (long id = 1; id <= 3; id++) c.node(id).readIndex(CTX, false);
    c.stabilize();
    long commit = c.node(leader).status().commitIndex();
    for (long id = 1; id <= 3; id++) assertThat(c.readStates.get(id)).containsExactly(new ReadState(commit, CTX));
    // The leader's own request goes out in one round, both forwarded ones (same context) share the next.
    assertThat(c.sent.stream().filter(m -> m.type() == MessageType.HEARTBEAT)).hasSize(4);
  }

  @Test
  void noLeaseAfterTimeoutNowWasSentEvenIfTheTransferIsAbandoned() {
    RaftTestCluster c = RaftTestCluster.of(3);
    long leader = c.electLeader();
    long target = leader == 3 ? 1 : 3;
    c.dropIf(m -> m.type() == MessageType.TIMEOUT_NOW); // "delayed" forever
    RaftNode n = c.node(leader);
    n.transferLeadership(target);
    c.tickAll(10); // transfer abandoned after an election timeout
    assertThat(n.status().leadTransferee()).isZero();
    assertThat(n.status().role()).isEqualTo(Role.LEADER);
    n.readIndex(CTX, true);
    Ready rd = n.ready();
    assertThat(rd.readStates()).isEmpty(); // falls back to a quorum round
    assertThat(rd.messages()).anyMatch(m -> m.type() == MessageType.HEARTBEAT && m.context().length == 8);
  }
}
