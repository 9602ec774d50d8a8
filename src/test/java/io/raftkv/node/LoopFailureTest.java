package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvException;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.RaftKvService;
import io.raftkv.kv.ReadConsistency;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.JeLogStore;
import io.raftkv.storage.SnapshotFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients see when writes cannot commit, and when the loop itself dies. */
class LoopFailureTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
  }

  static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) throws Exception {
    return stage.toCompletableFuture().handle((v, e) -> NodeException.unwrap(e)).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aWriteThatCannotCommitTimesOutAsOutcomeUnknownAndAReadAsUnavailable() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.REQUEST_TIMEOUT_MS, "300");
    cluster.startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    for (TestCluster.TestNode n : cluster.nodes.values()) {
      if (n.id() != leader.id()) cluster.net.isolate(n.id(), true);
    }
    // The leader appends the write but no follower can acknowledge it before the timeout.
    assertThat(failureOf(leader.kv().put("lost?", "x", Condition.NONE))).isInstanceOf(KvException.OutcomeUnknown.class);
    assertThat(failureOf(leader.kv().get("lost?", ReadConsistency.LINEARIZABLE))).isInstanceOf(KvException.Unavailable.class);
  }

  @Test
  void aCorruptLogFoundWhileSteppingAPeerMessageStopsTheNode() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L);
    cluster.start(1);
    cluster.overrides.put(NodeConfig.ELECTION_TIMEOUT_MS, "5000"); // node 1 campaigns first and leads
    NodeConfig config = cluster.config(2);
    try (JeLogStore store = JeLogStore.open(config.dataDir())) {
      BreakableStorage storage = new BreakableStorage(store);
      LoopbackTransport transport = new LoopbackTransport(2, cluster.net, dir.resolve("in2"));
      RaftLoop follower = new RaftLoop(config, storage, new FileSnapshotStore(SnapshotFiles.open(config.dataDir())),
          new KvStateMachine(), transport);
      AtomicReference<Throwable> fatal = new AtomicReference<>();
      follower.onFatal(fatal::set);
      follower.start();
      try {
        TestCluster.TestNode leader = cluster.node(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> leader.loop().isLeader() && follower.leaderId() == 1);
        leader.kv().put("a", "1", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);

        storage.corruptReads = true; // the next APPEND's consistency check reads a term from storage
        leader.kv().put("b", "2", Condition.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> !follower.isRunning());
        assertThat(follower.failure()).isInstanceOf(io.raftkv.storage.CorruptLogException.class);
        assertThat(fatal.get()).isSameAs(follower.failure());
      } finally {
        follower.close();
        transport.close();
      }
    }
  }

  /**
   * Issue 14.6, the other way into the core: work run on the loop thread ({@code RaftLoop.call}, used
   * by leadership transfer) that hits a broken invariant stops the node too, and its caller is answered.
   */
  @Test
  void aBrokenInvariantInsideLoopWorkStopsTheNode() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    AtomicReference<Throwable> fatal = new AtomicReference<>();
    leader.loop().onFatal(fatal::set);

    Throwable answer = failureOf(leader.loop().call(c -> {
      throw new IllegalStateException("raft invariant violated: test");
    }));
    assertThat(answer).hasMessage("raft invariant violated: test");
    await().atMost(Duration.ofSeconds(10)).until(() -> !leader.loop().isRunning());
    assertThat(leader.loop().failure()).isSameAs(answer);
    assertThat(fatal.get()).isSameAs(answer);
    // A NodeException thrown by the work is its answer, not a failure of the node.
    TestCluster.TestNode other = cluster.nodes.values().stream().filter(n -> n.id() != leader.id()).findFirst()
        .orElseThrow();
    assertThat(failureOf(other.loop().call(c -> {
      throw new NodeException.NotLeader(0);
    }))).isInstanceOf(NodeException.NotLeader.class);
    assertThat(other.loop().isRunning()).isTrue();
  }

  @Test
  void closingAWedgedLoopFailsItsPendingWritesAsOutcomeUnknown() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L);
    cluster.overrides.put(NodeConfig.REQUEST_TIMEOUT_MS, "60000");
    cluster.startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    for (TestCluster.TestNode n : cluster.nodes.values()) {
      if (n.id() != leader.id()) cluster.net.isolate(n.id(), true);
    }
    // Appended on the leader, cannot commit: pending in the loop.
    long lastBefore = leader.loop().status().logLastIndex();
    java.util.concurrent.CompletableFuture<KvEntry> write = leader.kv().put("pending", "x", Condition.NONE)
        .toCompletableFuture();
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.loop().status().logLastIndex() > lastBefore);
    java.util.concurrent.CountDownLatch unwedge = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch wedged = new java.util.concurrent.CountDownLatch(1);
    leader.loop().call(c -> {
      wedged.countDown();
      try {
        unwedge.await(30, TimeUnit.SECONDS); // a stuck fsync, say
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    assertThat(wedged.await(10, TimeUnit.SECONDS)).isTrue();
    try {
      leader.loop().close(); // gives up waiting for the thread after its bounded wait
      assertThat(write).as("the write's future once close returned").isDone();
      assertThat(failureOf(write)).isInstanceOf(KvException.OutcomeUnknown.class);
    } finally {
      unwedge.countDown();
    }
  }

  /** Delegates to JE but fails every save once {@link #broken} is set. */
  static final class BreakableStorage implements RaftStorage {
    final JeRaftStorage d;
    volatile boolean broken;
    volatile boolean corruptReads;

    BreakableStorage(JeLogStore store) {
      d = new JeRaftStorage(store);
    }

    @Override public HardState hardState() { return d.hardState(); }
    @Override public SnapshotMeta snapshot() { return d.snapshot(); }
    @Override public long firstIndex() { return d.firstIndex(); }
    @Override public long lastIndex() { return d.lastIndex(); }
    @Override public long term(long index) {
      if (corruptReads) {
        throw new io.raftkv.storage.CorruptLogException(Path.of("je"), "entry " + index, "checksum mismatch");
      }
      return d.term(index);
    }
    @Override public List<Entry> entries(long lo, long hi, long maxBytes) { return d.entries(lo, hi, maxBytes); }
    @Override public void installSnapshot(SnapshotMeta meta) { d.installSnapshot(meta); }
    @Override public void compact(SnapshotMeta meta, long retainFrom) { d.compact(meta, retainFrom); }
    @Override public void saveMembers(Map<Long, String> members) { d.saveMembers(members); }
    @Override public Map<Long, String> members() { return d.members(); }
    @Override public void close() { d.close(); }

    @Override
    public void save(HardState hs, List<Entry> entries, boolean sync) {
      if (broken) throw new IllegalStateException("disk on fire");
      d.save(hs, entries, sync);
    }
  }

  @Test
  void aStorageFailureStopsTheLoopReportsTheCauseAndFailsRequests() throws Exception {
    cluster = new TestCluster(dir, 1L);
    NodeConfig config = cluster.config(1);
    try (JeLogStore store = JeLogStore.open(config.dataDir())) {
      BreakableStorage storage = new BreakableStorage(store);
      KvStateMachine sm = new KvStateMachine();
      LoopbackTransport transport = new LoopbackTransport(1, cluster.net, dir.resolve("in"));
      RaftLoop loop = new RaftLoop(config, storage, new FileSnapshotStore(SnapshotFiles.open(config.dataDir())),
          sm, transport);
      AtomicReference<Throwable> fatal = new AtomicReference<>();
      loop.onFatal(fatal::set);
      loop.start();
      try {
        RaftKvService kv = new RaftKvService(loop, sm);
        await().atMost(Duration.ofSeconds(10)).until(loop::isLeader);
        kv.put("ok", "1", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);

        storage.broken = true;
        Throwable write = failureOf(kv.put("doomed", "2", Condition.NONE));
        // The entry may have been half-way into storage when it failed: never claim it was not written.
        assertThat(write).isInstanceOf(KvException.OutcomeUnknown.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> !loop.isRunning());
        assertThat(loop.failure()).hasMessage("disk on fire");
        assertThat(fatal.get()).isSameAs(loop.failure());
        assertThat(failureOf(kv.put("after", "3", Condition.NONE))).isInstanceOf(KvException.Unavailable.class);
      } finally {
        loop.close();
        transport.close();
      }
    }
  }
}
