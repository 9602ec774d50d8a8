package io.raftkv.node;

import static org.awaitility.Awaitility.await;

import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.RaftKvService;
import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.storage.JeLogStore;
import io.raftkv.storage.SnapshotFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * N Raft loops in one JVM over real JE stores in a temp directory, talking through
 * {@link LoopbackTransport}. Nodes can be stopped (as a crash: nothing is flushed beyond what the loop
 * already synced) and restarted from their data directories.
 */
final class TestCluster implements AutoCloseable {

  /** One running node's parts. */
  record TestNode(NodeConfig config, JeLogStore store, KvStateMachine stateMachine, RaftLoop loop,
      RaftKvService kv, LoopbackTransport transport) {
    long id() {
      return config.nodeId();
    }
  }

  final Path root;
  final LoopbackTransport.Network net = new LoopbackTransport.Network();
  final Map<Long, TestNode> nodes = new TreeMap<>();
  private final List<Long> voters;
  final Map<String, String> overrides = new HashMap<>();
  /** Wraps each started node's storage (tests observe or delay its writes); identity by default. */
  BiFunction<Long, RaftStorage, RaftStorage> storageWrapper = (id, storage) -> storage;

  TestCluster(Path root, Long... voters) {
    this.root = root;
    this.voters = List.of(voters);
  }

  NodeConfig config(long id) {
    Map<String, String> p = new HashMap<>();
    p.put(NodeConfig.NODE_ID, Long.toString(id));
    p.put(NodeConfig.PEER_ADDRESS, "127.0.0.1:" + (19000 + id));
    p.put(NodeConfig.HTTP_ADDRESS, "127.0.0.1:" + (18000 + id));
    p.put(NodeConfig.CLUSTER, voters.stream().map(v -> v + "@127.0.0.1:" + (19000 + v)).collect(Collectors.joining(",")));
    p.put(NodeConfig.DATA_DIR, root.resolve("node-" + id).toString());
    p.put(NodeConfig.HEARTBEAT_MS, "50");
    p.put(NodeConfig.ELECTION_TIMEOUT_MS, "500");
    p.put(NodeConfig.REQUEST_TIMEOUT_MS, "5000");
    p.putAll(overrides);
    return NodeConfig.fromLookup(k -> Optional.ofNullable(p.get(k)));
  }

  /** A node outside the initial voters, to be added to the running cluster (it bootstraps nothing). */
  NodeConfig joinerConfig(long id) {
    Map<String, String> p = new HashMap<>();
    p.put(NodeConfig.NODE_ID, Long.toString(id));
    p.put(NodeConfig.PEER_ADDRESS, "127.0.0.1:" + (19000 + id));
    p.put(NodeConfig.DATA_DIR, root.resolve("node-" + id).toString());
    p.put(NodeConfig.HEARTBEAT_MS, "50");
    p.put(NodeConfig.ELECTION_TIMEOUT_MS, "500");
    return NodeConfig.fromLookup(k -> Optional.ofNullable(p.get(k)));
  }

  TestCluster startAll() throws IOException {
    for (long id : voters) start(id);
    return this;
  }

  TestNode start(long id) throws IOException {
    return start(config(id));
  }

  TestNode start(NodeConfig config) throws IOException {
    long id = config.nodeId();
    JeLogStore store = JeLogStore.open(config.dataDir());
    SnapshotFiles files = SnapshotFiles.open(config.dataDir());
    KvStateMachine sm = new KvStateMachine();
    LoopbackTransport transport = new LoopbackTransport(id, net, config.dataDir().resolve("incoming"));
    NodeCounters counters = new NodeCounters(); // shared by storage and loop, as NodeAssembly wires them
    RaftLoop loop = new RaftLoop(config, storageWrapper.apply(id, new JeRaftStorage(store, counters)),
        new FileSnapshotStore(files), sm, transport, counters);
    try {
      loop.start();
    } catch (IOException | RuntimeException e) {
      loop.close();
      transport.close();
      store.close();
      throw e;
    }
    TestNode node = new TestNode(config, store, sm, loop, new RaftKvService(loop, sm), transport);
    nodes.put(id, node);
    return node;
  }

  /** Stops a node abruptly: it stops receiving at once, then its loop and store are closed. */
  void stop(long id) {
    TestNode n = nodes.remove(id);
    if (n == null) return;
    n.transport.close();
    n.loop.close();
    n.store.close();
  }

  TestNode node(long id) {
    return nodes.get(id);
  }

  /** Waits until the running nodes agree on one running leader, and returns it. */
  TestNode awaitLeader() {
    long[] leader = new long[1];
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      long l = 0;
      for (TestNode n : nodes.values()) {
        if (n.loop.isLeader()) l = n.id();
      }
      if (l == 0) return false;
      for (TestNode n : nodes.values()) {
        if (n.loop.leaderId() != l) return false;
      }
      leader[0] = l;
      return true;
    });
    return nodes.get(leader[0]);
  }

  /** Waits for a leader among {@code ids} that those nodes agree on (others may be stale or removed). */
  TestNode awaitLeaderAmong(Long... ids) {
    long[] leader = new long[1];
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
      for (long id : ids) {
        TestNode n = nodes.get(id);
        if (n != null && n.loop.isLeader()) leader[0] = id;
      }
      if (leader[0] == 0) return false;
      for (long id : ids) {
        if (nodes.get(id).loop.leaderId() != leader[0]) return false;
      }
      return true;
    });
    return nodes.get(leader[0]);
  }

  TestNode aFollower() {
    TestNode leader = awaitLeader();
    return nodes.values().stream().filter(n -> n.id() != leader.id()).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    for (long id : List.copyOf(nodes.keySet())) stop(id);
    net.close();
  }
}
