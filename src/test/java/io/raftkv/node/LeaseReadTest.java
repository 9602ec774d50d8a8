package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.ReadConsistency;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lease reads are checked against the monotonic clock, not the ticks a stalled loop delivered. */
class LeaseReadTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aLeaderStalledPastItsLeaseDoesNotServeAStaleLeaseRead() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.READ_LEASE, "true");
    cluster.overrides.put(NodeConfig.CLOCK_DRIFT_MS, "50");
    cluster.startAll();
    TestCluster.TestNode old = cluster.awaitLeader();
    join(old.kv().put("k", "old", Condition.NONE));
    // A lease read works while the leader is healthy.
    assertThat(join(old.kv().get("k", ReadConsistency.LEASE))).map(KvEntry::value).contains("old");

    // Stall the old leader's loop thread (as a GC pause or SIGSTOP would) between two statements.
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> stall = old.loop().call(c -> {
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    try {
      Long[] others = cluster.nodes.keySet().stream().filter(id -> id != old.id()).toArray(Long[]::new);
      TestCluster.TestNode fresh = cluster.awaitLeaderAmong(others);
      join(fresh.kv().put("k", "new", Condition.NONE));
      // Queued while stalled: the old loop handles it in the pass that ends the stall, before it ticks
      // again or reads the new leader's messages, so its tick-counted lease still looks valid.
      CompletableFuture<Optional<KvEntry>> read = old.kv().get("k", ReadConsistency.LEASE).toCompletableFuture();
      release.countDown();
      stall.get(10, TimeUnit.SECONDS);
      Optional<String> value = read.handle((v, e) -> e == null ? v.map(KvEntry::value) : Optional.<String>empty())
          .get(10, TimeUnit.SECONDS);
      assertThat(value).as("a lease read after the lease expired in real time").isNotEqualTo(Optional.of("old"));
    } finally {
      release.countDown();
    }
  }

  @Test
  void theLeaseEndsOneHeartbeatAndTheDriftBeforeTheFollowersPromise() {
    long ms = 1_000_000L;
    LeaseClock clock = new LeaseClock(10, 50 * ms, 20 * ms, 1_000 * ms);
    clock.beforeTick(1_050 * ms); // tick 2
    // (10 - 1) x 50 - 20 = 430 ms after the time tick 2 was delivered.
    assertThat(clock.holds(2, 1_479 * ms)).isTrue();
    assertThat(clock.holds(2, 1_480 * ms)).isFalse();
    assertThat(clock.holds(1, 1_429 * ms)).isTrue();
    assertThat(clock.holds(3, 1_100 * ms)).as("a tick not delivered yet").isFalse();
    assertThat(clock.holds(0, 1_100 * ms)).isFalse();
    for (int i = 0; i < 20; i++) clock.beforeTick(1_100 * ms + i);
    assertThat(clock.holds(2, 1_100 * ms)).as("a tick older than the ring").isFalse();
  }

  static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
