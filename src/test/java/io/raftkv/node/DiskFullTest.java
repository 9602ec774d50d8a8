package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvException;
import io.raftkv.kv.ReadConsistency;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.storage.DiskLimitReachedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose disk reached the store's limit (JE's DiskLimitException, as when the file system has less
 * than raftkv.storage.free.disk.bytes free) must not die: it refuses requests with a clear 503 + Retry-After,
 * says so in its metrics, lets the others go on, and resumes by itself once space is freed. Before
 * DiskSpaceWait the loop died with the exception and every node of a full disk stopped (a CI run).
 */
class DiskFullTest {
  @TempDir Path dir;
  TestCluster cluster;
  /** Node ids whose disk is "full": every write of theirs is refused as JE refuses it. */
  final Map<Long, Boolean> full = new ConcurrentHashMap<>();

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aLeaderWithAFullDiskRefusesRequestsStaysAliveAndResumesWhenSpaceIsFreed() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.REQUEST_TIMEOUT_MS, "1000");
    cluster.storageWrapper = (id, storage) -> new ForwardingStorage(storage) {
      @Override
      public void save(HardState hs, List<Entry> entries, boolean sync) {
        if (full.getOrDefault(id, false)) {
          throw new DiskLimitReachedException(dir.resolve("node-" + id), new RuntimeException("simulated: 0 bytes free"));
        }
        super.save(hs, entries, sync);
      }
    };
    cluster.startAll();
    TestCluster.TestNode stuck = cluster.awaitLeader();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    stuck.loop().onFatal(fatal::set);
    stuck.kv().put("before", "1", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);

    full.put(stuck.id(), true);
    // the write that finds the disk full: appended and sent, never stored here; its outcome is unknown
    Throwable first = LoopFailureTest.failureOf(stuck.kv().put("during", "2", Condition.NONE));
    assertThat(first).isInstanceOf(KvException.OutcomeUnknown.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> stuck.loop().diskLimitReached() != null);
    assertThat(stuck.loop().diskLimitReached()).contains("disk limit reached for").contains("0 bytes free");
    assertThat(stuck.loop().metrics().diskWritesBlocked()).isEqualTo(1);
    assertThat(stuck.loop().metrics().diskFreeLimitBytes()).isEqualTo(512L << 20);

    // later requests are refused at once, with the cause and a retry hint
    long began = System.nanoTime();
    Throwable refused = LoopFailureTest.failureOf(stuck.kv().put("refused", "3", Condition.NONE));
    assertThat(refused).isInstanceOf(KvException.Unavailable.class).hasMessageContaining("insufficient storage")
        .hasMessageContaining("nothing was written").hasMessageContaining("0 bytes free");
    assertThat(((KvException.Unavailable) refused).retryAfterSeconds()).isEqualTo(DiskSpaceWait.RETRY_AFTER_S);
    assertThat(LoopFailureTest.failureOf(stuck.kv().get("before", ReadConsistency.LINEARIZABLE)))
        .isInstanceOf(KvException.Unavailable.class).hasMessageContaining("insufficient storage");
    assertThat(System.nanoTime() - began).as("refused without waiting").isLessThan(TimeUnit.SECONDS.toNanos(1));

    // the other two elect a leader and serve writes
    TestCluster.TestNode other = cluster.nodes.values().stream().filter(n -> n.id() != stuck.id()).findFirst()
        .orElseThrow();
    await().atMost(Duration.ofSeconds(20)).until(() -> other.loop().leaderId() != 0 && other.loop().leaderId() != stuck.id());
    other.kv().put("after", "4", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(stuck.loop().isRunning()).as("the node waits, it does not die").isTrue();
    assertThat(stuck.loop().failure()).isNull();

    full.put(stuck.id(), false); // space freed
    await().atMost(Duration.ofSeconds(20)).until(() -> stuck.loop().diskLimitReached() == null);
    assertThat(stuck.loop().metrics().diskWritesBlocked()).isZero();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> stuck.stateMachine().get("after").map(e -> e.value()).equals(Optional.of("4")));
    stuck.kv().put("resumed", "5", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(fatal.get()).isNull();
  }

  @Test
  void aNodeStoppedWhileWaitingForDiskSpaceStopsQuietly() throws Exception {
    cluster = new TestCluster(dir, 1L);
    cluster.storageWrapper = (id, storage) -> new ForwardingStorage(storage) {
      @Override
      public void save(HardState hs, List<Entry> entries, boolean sync) {
        throw new DiskLimitReachedException(dir.resolve("node-" + id), new RuntimeException("simulated: 0 bytes free"));
      }
    };
    // a single node elects itself and must store its new term: the loop runs, so it waits rather than dies
    TestCluster.TestNode only = cluster.startAll().node(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> only.loop().diskLimitReached() != null);
    assertThat(only.loop().isRunning()).isTrue();
    cluster.close(); // stopping while it waits ends the loop quietly, not as a failure
    cluster = null;
    assertThat(only.loop().isRunning()).isFalse();
    assertThat(only.loop().failure()).isNull();
  }
}
