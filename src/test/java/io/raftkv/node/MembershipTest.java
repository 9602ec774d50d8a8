package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.kv.ClusterView;
import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvException;
import io.raftkv.kv.ReadConsistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
  }

  static <T> T join(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }


  private static Map<Long, String> roles(ClusterView v) {
    Map<Long, String> out = new HashMap<>();
    v.members().forEach(m -> out.put(m.id(), m.role()));
    return out;
  }

  @Test
  void aNewNodeJoinsAsLearnerIsPromotedAndCanLeadAndLeave() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    for (int i = 0; i < 10; i++) join(leader.kv().put("m" + i, "v" + i, Condition.NONE));
    TestCluster.TestNode four = cluster.start(cluster.joinerConfig(4));

    // Asked on a follower: forwarded to the leader, which adds 4 as learner, waits, then promotes it.
    TestCluster.TestNode follower = cluster.node(leader.id() == 1 ? 2 : 1);
    ClusterView view = join(follower.kv().addMember(4, "127.0.0.1:19004", "127.0.0.1:18004"));
    await().atMost(Duration.ofSeconds(5)).until(() -> "follower".equals(roles(leader.kv().cluster()).get(4L)));
    assertThat(view.members()).extracting(ClusterView.Member::id).contains(4L);
    assertThat(leader.kv().cluster().members()).filteredOn(m -> m.id() == 4)
        .extracting(ClusterView.Member::peer).containsExactly("127.0.0.1:19004");
    assertThat(join(four.kv().get("m9", ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("v9");
    // The joiner learned the others' addresses from the replicated book.
    assertThat(four.loop().status().addresses()).containsKeys(1L, 2L, 3L, 4L);

    join(leader.kv().transferLeader(OptionalLong.of(4)));
    assertThat(cluster.awaitLeader().id()).isEqualTo(4);

    // The leader removing itself hands leadership off first.
    join(four.kv().removeMember(4));
    TestCluster.TestNode newLeader = cluster.awaitLeaderAmong(1L, 2L, 3L);
    assertThat(roles(newLeader.kv().cluster())).containsOnlyKeys(1L, 2L, 3L);
    join(newLeader.kv().put("after-removal", "ok", Condition.NONE));
  }

  @Test
  void removingAnUnknownMemberIsNotFoundAndTransferToANonVoterIsBadRequest() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    Throwable notFound = leader.kv().removeMember(9).toCompletableFuture().handle((v, e) -> NodeException.unwrap(e)).get();
    assertThat(notFound).isInstanceOf(KvException.NotFound.class);
    Throwable bad = cluster.aFollower().kv().transferLeader(OptionalLong.of(9)).toCompletableFuture()
        .handle((v, e) -> NodeException.unwrap(e)).get();
    assertThat(bad).isInstanceOf(KvException.BadRequest.class);
  }

  @Test
  void aSecondMembershipChangeWhileOneIsInProgressIsAConflict() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    // Node 5 is not running: it stays a learner that never catches up, so the change stays in progress.
    var first = leader.kv().addMember(5, "127.0.0.1:19005", null).toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> "learner".equals(roles(leader.kv().cluster()).get(5L)));
    Throwable second = leader.kv().addMember(6, "127.0.0.1:19006", null).toCompletableFuture()
        .handle((v, e) -> NodeException.unwrap(e)).get(5, TimeUnit.SECONDS);
    assertThat(second).isInstanceOf(KvException.Conflict.class);
    assertThat(first).isNotDone();
  }

  /**
   * Issue 14.5: the leader applies a removal in the same pass that sends the append telling the
   * removed follower it committed. Over a transport with latency that honours peer sets (as gRPC
   * does: a dropped peer's queue is cleared), closing the connection at apply time lost that append
   * and every later heartbeat, so the removed node never learned its removal. Here it must.
   */
  @Test
  void aRemovedFollowerLearnsItsRemovalCommittedThoughTheLeaderAppliesItFirst() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    join(leader.kv().put("before", "x", Condition.NONE));
    cluster.net.latency(Duration.ofMillis(20));
    TestCluster.TestNode leaving = cluster.aFollower();

    join(leader.kv().removeMember(leaving.id()));
    await("the removed node learns it").atMost(Duration.ofSeconds(5)).until(() -> leaving.loop().status().removed());
    assertThat(leaving.loop().members().appliedConf().isMember(leaving.id())).isFalse();
    // Then the leader lets it go: its core stopped tracking the node once it acknowledged the commit.
    await().atMost(Duration.ofSeconds(5)).until(() -> !leader.loop().status().raft().progress().containsKey(leaving.id()));
    join(leader.kv().put("after", "y", Condition.NONE));
  }
}
