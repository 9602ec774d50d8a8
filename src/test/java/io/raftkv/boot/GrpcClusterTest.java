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
    Map<String, String> p = new HashMap<>();
    p.put(NodeConfig.NODE_ID, Long.toString(id));
    p.put(NodeConfig.PEER_ADDRESS, "127.0.0.1:" + ports[(int) id - 1]);
    p.put(NodeConfig.CLUSTER, "1@127.0.0.1:" + ports[0] + ",2@127.0.0.1:" + ports[1] + ",3@127.0.0.1:" + ports[2]);
    p.put(NodeConfig.DATA_DIR, dir.resolve("node-" + id).toString());
    p.put(NodeConfig.HEARTBEAT_MS, "50");
    p.put(NodeConfig.ELECTION_TIMEOUT_MS, "500");
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
      assertThatThrownBy(() -> NodeAssembly.start(config(1, ports))).hasMessageContaining(String.valueOf(ports[0]));
    }
    // The JE environment was closed again, so the node can start once the port is free.
    nodes.add(NodeAssembly.start(config(1, ports)));
    assertThat(nodes.get(0).loop().isRunning()).isTrue();
  }
}
