package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.transport.GrpcPeerTransport;
import io.raftkv.transport.InboundHandler;
import io.raftkv.transport.PeerTls;
import io.raftkv.transport.TransportConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes with mutual TLS on the peer port (bin/raftkv-node --peer-tls, certificates from
 * bin/lib/peer-certs.sh): they elect a leader and replicate, while an intruder that speaks Raft to
 * every node, in plaintext and with a certificate from its own CA, changes nothing. Without TLS the
 * same intruder's messages, carrying a far higher term, would depose the leader.
 */
class PeerTlsClusterIT {
  private static final long INTRUDER_TERM = 1_000_000;
  private static ClusterHarness cluster;
  private static Path certs;
  private final HttpKvClient kv = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(5));

  @BeforeAll
  static void startSecureCluster() throws Exception {
    certs = Path.of("target", "cluster-it", "PeerTlsClusterIT-certs").toAbsolutePath();
    deleteTree(certs);
    makeCertificates(certs, "1=" + ClusterHarness.hostOf(1), "2=" + ClusterHarness.hostOf(2),
        "3=" + ClusterHarness.hostOf(3));
    ClusterHarness.Options options = new ClusterHarness.Options(
        ClusterHarness.Options.defaults().chain(), List.of("--peer-tls=" + certs), Map.of());
    cluster = ClusterHarness.start(Path.of("target", "cluster-it", "PeerTlsClusterIT"), 3, options);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  @Test
  void theClusterReplicatesOverTlsAndAnIntruderWithoutTheClusterCaChangesNothing() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(60));
    assertThat(kv.put(cluster.uri(leader), "tls/a", "1").outcome()).isEqualTo(KvResult.Outcome.OK);
    long termBefore = cluster.view(leader).term();
    for (int id : cluster.ids()) { // each JVM got its own certificate from --peer-tls
      String pid = Files.readString(cluster.workDir().resolve("data/node-" + id + "/pid")).trim();
      assertThat(Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' '))
          .contains("-Draftkv.peer.tls.cert=" + certs.resolve("node-" + id + ".pem"));
    }

    Path foreignCa = certs.resolveSibling("PeerTlsClusterIT-foreign");
    deleteTree(foreignCa);
    makeCertificates(foreignCa, "99=127.0.0.1");
    // The intruder trusts the cluster CA (it is not secret) but holds a certificate from its own CA.
    PeerTls foreign = new PeerTls(foreignCa.resolve("node-99.pem"), foreignCa.resolve("node-99.key"),
        certs.resolve("ca.pem"));
    try (GrpcPeerTransport plaintext = intruder(null); GrpcPeerTransport withForeignCert = intruder(foreign)) {
      Map<Long, String> members = new HashMap<>();
      for (int id : cluster.ids()) members.put((long) id, cluster.peerAddress(id));
      plaintext.updatePeers(members);
      withForeignCert.updatePeers(members);
      for (int round = 0; round < 40; round++) { // 2 s of heartbeats from a "leader" 99 in a far later term
        for (int id : cluster.ids()) {
          plaintext.send(Message.builder(MessageType.HEARTBEAT, 99, id, INTRUDER_TERM).build());
          withForeignCert.send(Message.builder(MessageType.HEARTBEAT, 99, id, INTRUDER_TERM + 1).build());
        }
        Thread.sleep(50);
      }
    }

    assertThat(cluster.awaitLeader(Duration.ofSeconds(10))).isEqualTo(leader);
    for (int id : cluster.ids()) {
      assertThat(cluster.view(id).term()).as("term on node %d", id).isEqualTo(termBefore);
    }
    assertThat(kv.put(cluster.uri(leader), "tls/b", "2").outcome()).isEqualTo(KvResult.Outcome.OK);
    int follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    assertThat(kv.get(cluster.uri(follower), "tls/b", "linearizable").value()).isEqualTo("2");
  }

  private static GrpcPeerTransport intruder(PeerTls tls) {
    TransportConfig config = TransportConfig.defaults(99, "127.0.0.1", 0,
        certs.resolveSibling("PeerTlsClusterIT-intruder-" + (tls == null ? "plain" : "foreign")));
    GrpcPeerTransport t = new GrpcPeerTransport(tls == null ? config : config.withTls(tls));
    t.start(new IgnoringHandler());
    return t;
  }

  private static void makeCertificates(Path dir, String... nodes) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of("bin", "lib", "peer-certs.sh").toAbsolutePath().toString(), dir.toString()));
    command.addAll(List.of(nodes));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("peer-certs.sh finished").isTrue();
    assertThat(p.exitValue()).as("peer-certs.sh: %s", out).isZero();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** The intruder only talks. */
  private static final class IgnoringHandler implements InboundHandler {
    @Override
    public void onMessage(Message m) {}

    @Override
    public void onSnapshot(Message m, Path file) {}

    @Override
    public CompletableFuture<byte[]> onForward(byte[] request) {
      return CompletableFuture.failedFuture(new IllegalStateException("intruder"));
    }

    @Override
    public void onUnreachable(long peer) {}
  }
}
