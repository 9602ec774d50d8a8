package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.ReadConsistency;
import io.raftkv.node.NodeConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three fully assembled nodes (JE, snapshot files, gRPC transport on loopback ports, loop, service). */
class GrpcClusterTest {
  @TempDir Path dir;
  final List<NodeAssembly> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(NodeAssembly::close);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  NodeConfig config(long id, int[] ports) {
    return config(id, ports, Map.of());
  }

  NodeConfig config(long id, int[] ports, Map<String, String> extra) {
    Map<String, String> p = new HashMap<>();
    p.put(NodeConfig.NODE_ID, Long.toString(id));
    p.put(NodeConfig.PEER_ADDRESS, "127.0.0.1:" + ports[(int) id - 1]);
    p.put(NodeConfig.CLUSTER, "1@127.0.0.1:" + ports[0] + ",2@127.0.0.1:" + ports[1] + ",3@127.0.0.1:" + ports[2]);
    p.put(NodeConfig.DATA_DIR, dir.resolve("node-" + id).toString());
    p.put(NodeConfig.HEARTBEAT_MS, "50");
    p.put(NodeConfig.ELECTION_TIMEOUT_MS, "500");
    p.putAll(extra);
    return NodeConfig.fromLookup(k -> Optional.ofNullable(p.get(k)));
  }

  @Test
  void writesOnAnyNodeReplicateOverGrpcAndFollowersForward() throws Exception {
    int[] ports = {freePort(), freePort(), freePort()};
    for (long id = 1; id <= 3; id++) nodes.add(NodeAssembly.start(config(id, ports)));
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().anyMatch(n -> n.loop().isLeader())
        && nodes.stream().allMatch(n -> n.loop().leaderId() != 0));
    NodeAssembly follower = nodes.stream().filter(n -> !n.loop().isLeader()).findFirst().orElseThrow();

    KvEntry written = follower.service().put("grpc", "works", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(written.value()).isEqualTo("works");
    for (NodeAssembly n : nodes) {
      Optional<KvEntry> got = n.service().get("grpc", ReadConsistency.LINEARIZABLE).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(got).map(KvEntry::modRevision).contains(written.modRevision());
    }
    assertThat(follower.service().cluster().members()).extracting(m -> m.peer())
        .containsExactlyInAnyOrder("127.0.0.1:" + ports[0], "127.0.0.1:" + ports[1], "127.0.0.1:" + ports[2]);
  }

  @Test
  void aPortInUseFailsTheStartWithTheCauseAndReleasesTheStore() throws Exception {
    int[] ports = {freePort(), freePort(), freePort()};
    try (ServerSocket taken = new ServerSocket(ports[0], 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(taken.isBound()).isTrue();
      assertThatThrownBy(() -> NodeAssembly.start(config(1, ports))).hasMessageContaining(String.valueOf(ports[0]));
    }
    // The JE environment was closed again, so the node can start once the port is free.
    nodes.add(NodeAssembly.start(config(1, ports)));
    assertThat(nodes.get(0).loop().isRunning()).isTrue();
  }

  private NodeAssembly awaitLeader() {
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().filter(n -> n.loop().isRunning())
        .anyMatch(n -> n.loop().isLeader()));
    return nodes.stream().filter(n -> n.loop().isRunning() && n.loop().isLeader()).findFirst().orElseThrow();
  }

  @Test
  void aFollowerBehindTheCompactedLogCatchesUpFromASnapshotStreamedOverGrpc() throws Exception {
    int[] ports = {freePort(), freePort(), freePort()};
    Map<String, String> small = Map.of(NodeConfig.SNAPSHOT_THRESHOLD, "20", NodeConfig.LOG_RETAIN, "1");
    for (long id = 1; id <= 3; id++) nodes.add(NodeAssembly.start(config(id, ports, small)));
    NodeAssembly leader = awaitLeader();
    NodeAssembly lagging = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
    long laggingId = lagging.config().nodeId();
    lagging.close();
    nodes.remove(lagging);
    for (int i = 0; i < 60; i++) {
      leader.service().put("s" + i, "v" + i, Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.loop().status().snapshotIndex() >= 40);

    NodeAssembly back = NodeAssembly.start(config(laggingId, ports, small));
    nodes.add(back);
    await().atMost(Duration.ofSeconds(30)).until(() -> back.loop().status().snapshotIndex() > 0
        && back.service().get("s59", ReadConsistency.STALE).toCompletableFuture().get().isPresent());
    for (int i = 0; i < 60; i++) {
      assertThat(back.service().get("s" + i, ReadConsistency.STALE).toCompletableFuture().get())
          .map(KvEntry::value).contains("v" + i);
    }
  }

  @Test
  void aNodeJoinsARunningClusterOverGrpc() throws Exception {
    int[] ports = {freePort(), freePort(), freePort(), freePort()};
    for (long id = 1; id <= 3; id++) nodes.add(NodeAssembly.start(config(id, ports)));
    NodeAssembly leader = awaitLeader();
    leader.service().put("before-join", "x", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    NodeAssembly four = NodeAssembly.start(config(4, ports, Map.of(
        NodeConfig.PEER_ADDRESS, "127.0.0.1:" + ports[3], NodeConfig.CLUSTER_STATE, "existing")));
    nodes.add(four);

    leader.service().addMember(4, "127.0.0.1:" + ports[3], null).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(leader.service().cluster().members()).filteredOn(m -> m.id() == 4)
        .extracting(m -> m.role()).containsExactly("follower");
    // The new voter serves linearizable reads and forwards writes like any member.
    assertThat(four.service().get("before-join", ReadConsistency.LINEARIZABLE).toCompletableFuture()
        .get(10, TimeUnit.SECONDS)).map(KvEntry::value).contains("x");
    four.service().put("from-four", "y", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(leader.service().get("from-four", ReadConsistency.LINEARIZABLE).toCompletableFuture()
        .get(10, TimeUnit.SECONDS)).map(KvEntry::value).contains("y");
  }
}
