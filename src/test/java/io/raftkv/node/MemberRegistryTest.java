package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.KvStateMachine;
import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Message;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import io.raftkv.storage.JeLogStore;
import io.raftkv.transport.InboundHandler;
import io.raftkv.transport.PeerTransport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemberRegistryTest {
  @TempDir Path dir;
  JeLogStore store;
  final PeersSeen transport = new PeersSeen();

  /** Remembers the last peer set it was pointed at. */
  static final class PeersSeen implements PeerTransport {
    Map<Long, String> peers = Map.of();

    @Override public void start(InboundHandler handler) { }
    @Override public void updatePeers(Map<Long, String> p) { peers = Map.copyOf(p); }
    @Override public void send(Message m) { }
    @Override public void sendSnapshot(Message m, Path file, Consumer<Boolean> done) { done.accept(false); }
    @Override public CompletableFuture<byte[]> forward(long leader, byte[] request, Duration timeout) {
      return CompletableFuture.failedFuture(new IllegalStateException("not used"));
    }
    @Override public void close() { }
  }

  @BeforeEach
  void open() throws Exception {
    store = JeLogStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private MemberRegistry registry(Duration grace) {
    AddressBook book = new AddressBook(1);
    for (long id = 1; id <= 4; id++) book.put(id, "h" + id + ":9", null);
    MemberRegistry r = new MemberRegistry(book, new JeRaftStorage(store), transport,
        ConfState.ofVoters(1L, 2L, 3L, 4L), grace);
    r.publish();
    return r;
  }

  private static Status leaderStatus(Set<Long> tracked) {
    Map<Long, Status.PeerProgress> progress = new HashMap<>();
    for (long id : tracked) progress.put(id, new Status.PeerProgress(10, 11, Status.PeerProgress.State.REPLICATE, true, 0));
    return new Status(1, 2, 1, 1, Role.LEADER, 10, 10, 10, ConfState.ofVoters(1L, 2L, 3L), 0, progress);
  }

  /**
   * Issue 14.5: applying a removal must not close the connection to the removed member at once: the
   * message that tells it the removal committed is still queued for it. The leader keeps it until its
   * core stops tracking the member (it acknowledged that commit).
   */
  @Test
  void aRemovedMemberStaysReachableUntilTheLeaderStopsTrackingIt() {
    MemberRegistry r = registry(Duration.ofMinutes(1));
    r.apply(11, new ConfChange(ConfChange.Type.REMOVE_NODE, 4, new byte[0]));
    assertThat(r.appliedConf().isMember(4)).isFalse();
    assertThat(r.book().get(4)).isNull();
    assertThat(transport.peers).containsEntry(4L, "h4:9");

    r.releaseDeparted(leaderStatus(Set.of(1L, 2L, 3L, 4L)), System.nanoTime());
    assertThat(transport.peers).as("still tracked by the core").containsKey(4L);
    r.releaseDeparted(leaderStatus(Set.of(1L, 2L, 3L)), System.nanoTime());
    assertThat(transport.peers).as("released once the core forgot it").containsOnlyKeys(2L, 3L);
  }

  @Test
  void theConnectionToARemovedMemberClosesAfterTheGraceOrOffTheLeader() {
    MemberRegistry r = registry(Duration.ofMillis(100));
    r.apply(11, new ConfChange(ConfChange.Type.REMOVE_NODE, 4, new byte[0]));
    r.releaseDeparted(leaderStatus(Set.of(1L, 2L, 3L, 4L)), System.nanoTime() + Duration.ofMillis(100).toNanos());
    assertThat(transport.peers).as("grace over").doesNotContainKey(4L);

    r.apply(12, new ConfChange(ConfChange.Type.REMOVE_NODE, 3, new byte[0]));
    Status follower = new Status(1, 2, 0, 2, Role.FOLLOWER, 12, 12, 12, ConfState.ofVoters(1L, 2L), 0, Map.of());
    r.releaseDeparted(follower, System.nanoTime());
    assertThat(transport.peers).as("only a leader sends to removed members").containsOnlyKeys(2L);
  }

  /** Issue 9: whether a learner joins to become a voter is replicated state, read back from its entry. */
  @Test
  void aLearnerAddedToBecomeAVoterIsJoiningUntilPromotedOrRemoved() {
    MemberRegistry r = registry(Duration.ofMinutes(1));
    byte[] joining = r.book().encodeContext(5, "h5:9", null, true);
    r.apply(20, new ConfChange(ConfChange.Type.ADD_LEARNER, 5, joining));
    r.apply(21, new ConfChange(ConfChange.Type.ADD_LEARNER, 6, "h6:9 -".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.joining()).isEqualTo(Map.of(5L, 20L));
    assertThat(r.appliedConf().learners()).containsExactlyInAnyOrder(5L, 6L);

    r.apply(22, new ConfChange(ConfChange.Type.ADD_VOTER, 5, r.book().encodeContext(5, "h5:9", null, false)));
    assertThat(r.joining()).isEmpty();
    assertThat(r.appliedConf().voters()).contains(5L);
  }

  /** Issue 9: the joining mark travels in the replicated book, so a node restored from a snapshot knows it. */
  @Test
  void aSnapshotCarriesWhichLearnersAreJoining() {
    MemberRegistry r = registry(Duration.ofMinutes(1));
    KvStateMachine sm = new KvStateMachine();
    sm.applyMemberChange(1, new ConfChange(ConfChange.Type.ADD_VOTER, 1, "h1:9 -".getBytes(StandardCharsets.UTF_8)));
    sm.applyMemberChange(2, new ConfChange(ConfChange.Type.ADD_LEARNER, 5, r.book().encodeContext(5, "h5:9", null, true)));
    sm.applyMemberChange(3, new ConfChange(ConfChange.Type.ADD_LEARNER, 6, "h6:9 -".getBytes(StandardCharsets.UTF_8)));
    r.reset(new ConfState(Set.of(1L), Set.of(5L, 6L)), sm);
    assertThat(r.joining()).isEqualTo(Map.of(5L, 3L));
    assertThat(r.book().get(5).peer()).isEqualTo("h5:9");
  }
}
