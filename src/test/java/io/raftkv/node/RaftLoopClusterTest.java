package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.ReadConsistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftLoopClusterTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
  }

  static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void writesThroughLeaderAndFollowersAreVisibleEverywhere() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    cluster.awaitLeader();
    for (TestCluster.TestNode n : cluster.nodes.values()) {
      KvEntry e = join(n.kv().put("key-" + n.id(), "from-" + n.id(), Condition.NONE));
      assertThat(e.value()).isEqualTo("from-" + n.id());
      assertThat(e.modRevision()).isPositive();
    }
    for (TestCluster.TestNode reader : cluster.nodes.values()) {
      for (long writer = 1; writer <= 3; writer++) {
        Optional<KvEntry> got = join(reader.kv().get("key-" + writer, ReadConsistency.LINEARIZABLE));
        assertThat(got).map(KvEntry::value).contains("from-" + writer);
      }
    }
  }

  @Test
  void followerReadIndexSeesAWriteAcknowledgedByTheLeader() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    TestCluster.TestNode follower = cluster.aFollower();
    for (int i = 0; i < 20; i++) {
      join(leader.kv().put("ryw", "v" + i, Condition.NONE));
      // Read right after the ack on another node: ReadIndex must wait for the follower to apply it.
      assertThat(join(follower.kv().get("ryw", ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("v" + i);
    }
  }

  @Test
  void afterTheLeaderCrashesANewLeaderAcceptsWrites() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode old = cluster.awaitLeader();
    join(old.kv().put("before", "1", Condition.NONE));
    cluster.stop(old.id());
    TestCluster.TestNode leader = cluster.awaitLeader();
    assertThat(leader.id()).isNotEqualTo(old.id());
    TestCluster.TestNode follower = cluster.aFollower();
    join(follower.kv().put("after", "2", Condition.NONE));
    assertThat(join(leader.kv().get("before", ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("1");
    assertThat(join(leader.kv().get("after", ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("2");
  }

  @Test
  void restartRecoversEveryAcknowledgedWriteFromDisk() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    for (int i = 0; i < 30; i++) join(leader.kv().put("k" + i, "v" + i, Condition.NONE));
    long deleted = join(leader.kv().delete("k0"));
    assertThat(deleted).isPositive();
    cluster.close();

    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode again = cluster.awaitLeader();
    for (TestCluster.TestNode n : cluster.nodes.values()) {
      assertThat(join(n.kv().get("k0", ReadConsistency.LINEARIZABLE))).isEmpty();
      for (int i = 1; i < 30; i++) {
        assertThat(join(n.kv().get("k" + i, ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("v" + i);
      }
    }
    KvEntry next = join(again.kv().put("k1", "new", Condition.NONE));
    assertThat(next.version()).isEqualTo(2);
  }

  @Test
  void aFullQueueFailsFastWithUnavailable() throws Exception {
    cluster = new TestCluster(dir, 1L);
    cluster.overrides.put(NodeConfig.QUEUE_MAX, "1");
    var held = new java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch>();
    cluster.storageWrapper = (id, storage) -> new ForwardingStorage(storage) {
      @Override
      public void save(io.raftkv.raft.HardState hs, java.util.List<io.raftkv.raft.Entry> entries, boolean sync) {
        var gate = entries.isEmpty() ? null : held.get();
        if (gate != null) {
          try {
            gate.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        super.save(hs, entries, sync);
      }
    };
    cluster.startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    held.set(new java.util.concurrent.CountDownLatch(1)); // the first write cannot commit until released
    var first = leader.kv().put("a", "1", Condition.NONE).toCompletableFuture();
    var second = leader.kv().put("b", "2", Condition.NONE).toCompletableFuture();
    held.getAndSet(null).countDown();
    assertThat(second).isCompletedExceptionally();
    assertThat(second.handle((v, e) -> NodeException.unwrap(e)).get())
        .isInstanceOfSatisfying(io.raftkv.kv.KvException.Unavailable.class,
            u -> assertThat(u.retryAfterSeconds()).isEqualTo(1));
    assertThat(first.get(10, TimeUnit.SECONDS).value()).isEqualTo("1");
    assertThat(join(leader.kv().put("b", "2", Condition.NONE)).value()).isEqualTo("2");
  }

  @Test
  void snapshotsCompactTheLogAndARestartRestoresFromTheSnapshot() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.SNAPSHOT_THRESHOLD, "40");
    cluster.overrides.put(NodeConfig.LOG_RETAIN, "5");
    cluster.startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    for (int i = 0; i < 100; i++) join(leader.kv().put("s" + i, "v" + i, Condition.NONE));
    for (TestCluster.TestNode n : cluster.nodes.values()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> n.store().snapshot().index() >= 40 && n.store().firstIndex() > 1);
      // /cluster reports it (the status is republished every tick).
      await().atMost(Duration.ofSeconds(2))
          .until(() -> n.loop().status().snapshotIndex() == n.store().snapshot().index());
    }
    long follower = cluster.aFollower().id();
    long snapshotIndex = cluster.node(follower).store().snapshot().index();
    cluster.stop(follower);
    TestCluster.TestNode restarted = cluster.start(follower);
    // Restored from the snapshot: applied starts at its index although the entries below are gone.
    assertThat(restarted.store().firstIndex()).isGreaterThan(1);
    assertThat(restarted.stateMachine().appliedIndex()).isGreaterThanOrEqualTo(snapshotIndex);
    cluster.awaitLeader();
    for (int i = 0; i < 100; i++) {
      assertThat(join(restarted.kv().get("s" + i, ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("v" + i);
    }
  }

  @Test
  void aFollowerBehindTheCompactedLogCatchesUpThroughASnapshot() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.SNAPSHOT_THRESHOLD, "30");
    cluster.overrides.put(NodeConfig.LOG_RETAIN, "2");
    cluster.startAll();
    long lagging = cluster.aFollower().id();
    cluster.stop(lagging);
    TestCluster.TestNode leader = cluster.awaitLeader();
    for (int i = 0; i < 80; i++) join(leader.kv().put("c" + i, "v" + i, Condition.NONE));
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.store().firstIndex() > 10);

    TestCluster.TestNode back = cluster.start(lagging);
    await().atMost(Duration.ofSeconds(20)).until(() -> back.store().snapshot().index() > 0
        && back.kv().get("c79", ReadConsistency.STALE).toCompletableFuture().get().isPresent());
    for (int i = 0; i < 80; i++) {
      assertThat(join(back.kv().get("c" + i, ReadConsistency.STALE))).map(KvEntry::value).contains("v" + i);
    }
  }

  @Test
  void leaseAndStaleReadsServeLocalStateAtTheirConsistency() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.READ_LEASE, "true");
    cluster.startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    TestCluster.TestNode follower = cluster.aFollower();
    for (int i = 0; i < 10; i++) {
      join(follower.kv().put("lease", "v" + i, Condition.NONE));
      assertThat(join(leader.kv().get("lease", ReadConsistency.LEASE))).map(KvEntry::value).contains("v" + i);
      // On a follower a lease read falls back to ReadIndex, so it too sees the acknowledged write.
      assertThat(join(follower.kv().get("lease", ReadConsistency.LEASE))).map(KvEntry::value).contains("v" + i);
    }
    // A stale read never waits: once this node has applied the write it is visible locally.
    await().atMost(Duration.ofSeconds(5)).until(() ->
        follower.kv().get("lease", ReadConsistency.STALE).toCompletableFuture().get().map(KvEntry::value).orElse("").equals("v9"));
  }
}
