package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under load a leader's Ready carries the commit of one batch together with the next batch's entries.
 * The committed batch is already durable, so its clients are answered before the next batch's fsync,
 * not after it (ReadyHandler#durablePrefix).
 */
class ApplyBeforeNextWriteTest {
  @TempDir Path dir;
  TestCluster cluster;
  final Map<Long, GatedStorage> storages = new ConcurrentHashMap<>();

  /** A write held back (before it reaches the store) until the test releases it. */
  record Gate(CountDownLatch entered, CountDownLatch release) {
    Gate() {
      this(new CountDownLatch(1), new CountDownLatch(1));
    }
  }

  /** Holds the next write that carries entries at an armed gate: a slow fsync the test controls. */
  static final class GatedStorage extends ForwardingStorage {
    final AtomicReference<Gate> armed = new AtomicReference<>();

    GatedStorage(RaftStorage d) {
      super(d);
    }

    @Override
    public void save(HardState hs, List<Entry> entries, boolean sync) {
      Gate gate = entries.isEmpty() ? null : armed.getAndSet(null);
      if (gate != null) {
        gate.entered.countDown();
        try {
          gate.release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      super.save(hs, entries, sync);
    }
  }

  @AfterEach
  void tearDown() {
    storages.values().forEach(s -> {
      Gate g = s.armed.getAndSet(null);
      if (g != null) g.release.countDown();
    });
    if (cluster != null) cluster.close();
  }

  @Test
  void aCommittedBatchIsAnsweredWhileTheNextBatchIsBeingWritten() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.storageWrapper = (id, storage) -> storages.computeIfAbsent(id, k -> new GatedStorage(storage));
    cluster.startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    GatedStorage leaderStore = storages.get(leader.id());
    // A new leader's empty entry may not be on its disk yet when it reports leadership (CI once saw A
    // land one index later than read here): a completed write settles the log, so the next index is A's.
    leader.kv().put("settle", "0", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    long indexOfA = leader.store().lastIndex() + 1;

    // 1. Hold the leader's write of A; the followers get A first (a leader sends before it persists).
    Gate writeOfA = new Gate();
    leaderStore.armed.set(writeOfA);
    CompletableFuture<KvEntry> a = leader.kv().put("a", "1", Condition.NONE).toCompletableFuture();
    assertThat(writeOfA.entered.await(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.nodes.values().stream()
        .filter(n -> n.id() != leader.id()).allMatch(n -> n.store().lastIndex() >= indexOfA));
    Thread.sleep(200); // the followers' acknowledgements reach the leader's inbox

    // 2. B arrives meanwhile: the leader's next Ready commits A and appends B; hold B's write.
    Gate writeOfB = new Gate();
    leaderStore.armed.set(writeOfB);
    CompletableFuture<KvEntry> b = leader.kv().put("b", "2", Condition.NONE).toCompletableFuture();
    writeOfA.release.countDown();
    assertThat(writeOfB.entered.await(10, TimeUnit.SECONDS)).isTrue();

    // 3. A is answered although B's write has not finished.
    assertThat(a.get(5, TimeUnit.SECONDS).modRevision()).isEqualTo(indexOfA);
    assertThat(b).isNotDone();
    writeOfB.release.countDown();
    assertThat(b.get(10, TimeUnit.SECONDS).modRevision()).isGreaterThan(indexOfA);
  }
}
