package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> p = new HashMap<>();
    p.put("raftkv.node.id", "2");
    p.put("raftkv.peer.address", "127.0.0.2:9092");
    p.put("raftkv.cluster", "1@127.0.0.1:9091, 2@127.0.0.2:9092,3@127.0.0.3:9093");
    p.put("raftkv.data.dir", "/var/lib/raftkv/node-2");
    return p;
  }

  private static NodeConfig parse(Map<String, String> p) {
    return NodeConfig.fromLookup(k -> Optional.ofNullable(p.get(k)));
  }

  @Test
  void minimalConfigurationGetsTheDocumentedDefaults() {
    NodeConfig c = parse(minimal());
    assertThat(c.nodeId()).isEqualTo(2);
    assertThat(c.peerAddress()).isEqualTo(new HostPort("127.0.0.2", 9092));
    assertThat(c.httpAddress()).isNull();
    assertThat(c.cluster().ids()).containsExactly(1L, 2L, 3L);
    assertThat(c.cluster().address(3)).isEqualTo(new HostPort("127.0.0.3", 9093));
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/raftkv/node-2"));
    assertThat(c.electionTimeoutMs()).isEqualTo(300);
    assertThat(c.heartbeatMs()).isEqualTo(50);
    assertThat(c.electionTicks()).isEqualTo(6);
    assertThat(c.snapshotThreshold()).isEqualTo(10_000);
    assertThat(c.logRetain()).isEqualTo(5_000);
    assertThat(c.readLease()).isFalse();
    assertThat(c.clockDriftMs()).isEqualTo(100);
    assertThat(c.leaseDriftTicks()).isEqualTo(2);
    assertThat(c.requestTimeoutMs()).isEqualTo(5_000);
    assertThat(c.queueMax()).isEqualTo(10_000);
    assertThat(c.maxKeyBytes()).isEqualTo(4096);
    assertThat(c.maxValueBytes()).isEqualTo(1_048_576);
    assertThat(c.maxBodyBytes()).isEqualTo(1_572_864);
    assertThat(c.bootstrapsCluster()).isTrue();
    assertThat(c.peerTls()).isEmpty();
    assertThat(c.storeOptions()).isEqualTo(io.raftkv.storage.StoreOptions.DEFAULT);
    assertThat(c.storeOptions().freeDiskBytes()).isEqualTo(512L << 20);
    assertThat(c.storeOptions().maxDiskBytes()).isZero();
  }

  @Test
  void diskLimitsMapToTheStoresJeLimits() {
    Map<String, String> p = minimal();
    p.put("raftkv.storage.free.disk.bytes", "64m");
    p.put("raftkv.storage.max.disk.bytes", "10737418240");
    NodeConfig c = parse(p);
    assertThat(c.storeOptions().freeDiskBytes()).isEqualTo(64L << 20);
    assertThat(c.storeOptions().maxDiskBytes()).isEqualTo(10L << 30);
    assertThat(c.storeOptions().jeCacheBytes()).isEqualTo(io.raftkv.storage.StoreOptions.DEFAULT.jeCacheBytes());
    p.put("raftkv.storage.free.disk.bytes", "0");
    p.put("raftkv.storage.max.disk.bytes", "2G");
    assertThat(parse(p).storeOptions().freeDiskBytes()).isZero();
    assertThat(parse(p).storeOptions().maxDiskBytes()).isEqualTo(2L << 30);
  }

  @Test
  void badDiskLimitsAreReportedTogether() {
    Map<String, String> p = minimal();
    p.put("raftkv.storage.free.disk.bytes", "lots");
    p.put("raftkv.storage.max.disk.bytes", "-5");
    assertThatThrownBy(() -> parse(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raftkv.storage.free.disk.bytes must be a byte count (e.g. 536870912 or 512m) but is 'lots'")
        .hasMessageContaining("raftkv.storage.max.disk.bytes must be a byte count");
    p.put("raftkv.storage.free.disk.bytes", "1g");
    p.put("raftkv.storage.max.disk.bytes", "512m");
    assertThatThrownBy(() -> parse(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raftkv.storage.max.disk.bytes (536870912) must be 0 (no cap) or above "
            + "raftkv.storage.free.disk.bytes (1073741824)");
  }

  @Test
  void peerTlsNeedsAllThreeReadableFiles(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path cert = java.nio.file.Files.writeString(dir.resolve("node.pem"), "cert");
    Path key = java.nio.file.Files.writeString(dir.resolve("node.key"), "key");
    Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "ca");
    Map<String, String> p = minimal();
    p.put("raftkv.peer.tls.cert", cert.toString());
    p.put("raftkv.peer.tls.key", key.toString());
    p.put("raftkv.peer.tls.ca", ca.toString());
    assertThat(parse(p).peerTls()).hasValueSatisfying(tls -> {
      assertThat(tls.certChain()).isEqualTo(cert);
      assertThat(tls.privateKey()).isEqualTo(key);
      assertThat(tls.trustedCa()).isEqualTo(ca);
    });

    Map<String, String> partial = minimal();
    partial.put("raftkv.peer.tls.cert", cert.toString());
    assertThatThrownBy(() -> parse(partial)).hasMessageContaining("must be set together");

    p.put("raftkv.peer.tls.ca", dir.resolve("missing-ca.pem").toString());
    assertThatThrownBy(() -> parse(p)).hasMessageContaining("missing-ca.pem does not exist or is not readable");
  }

  @Test
  void everyKeyCanBeOverridden() {
    Map<String, String> p = minimal();
    p.put("raftkv.http.address", "node2.example:8082");
    p.put("raftkv.cluster.http", "1@h1:8081,2@h2:8082");
    p.put("raftkv.election.timeout.ms", "600");
    p.put("raftkv.heartbeat.ms", "50");
    p.put("raftkv.snapshot.threshold", "100");
    p.put("raftkv.log.retain", "0");
    p.put("raftkv.read.lease", "TRUE");
    p.put("raftkv.clock.drift.ms", "120");
    p.put("raftkv.request.timeout.ms", "250");
    p.put("raftkv.queue.max", "7");
    p.put("raftkv.limits.key.bytes", "10");
    p.put("raftkv.limits.value.bytes", "20");
    p.put("raftkv.limits.body.bytes", "30");
    NodeConfig c = parse(p);
    assertThat(c.httpAddress()).isEqualTo(new HostPort("node2.example", 8082));
    assertThat(c.clusterHttp().address(1)).isEqualTo(new HostPort("h1", 8081));
    assertThat(c.electionTicks()).isEqualTo(12);
    assertThat(c.leaseDriftTicks()).isEqualTo(3); // 120 ms rounded up to whole 50 ms ticks
    assertThat(c.readLease()).isTrue();
    assertThat(c.logRetain()).isZero();
    assertThat(List.of(c.snapshotThreshold(), (long) c.requestTimeoutMs(), (long) c.queueMax(),
        (long) c.maxKeyBytes(), (long) c.maxValueBytes(), (long) c.maxBodyBytes()))
        .containsExactly(100L, 250L, 7L, 10L, 20L, 30L);
  }

  @Test
  void aJoiningNodeHasNoBootstrapVoters() {
    Map<String, String> p = minimal();
    p.put("raftkv.node.id", "4");
    p.put("raftkv.cluster", "");
    assertThat(parse(p).bootstrapsCluster()).isFalse();

    p.put("raftkv.cluster", "1@127.0.0.1:9091");
    p.put("raftkv.cluster.state", "existing");
    NodeConfig joiner = parse(p);
    assertThat(joiner.bootstrapsCluster()).isFalse();
    assertThat(joiner.cluster().ids()).containsExactly(1L);
  }

  @Test
  void missingRequiredKeysAreAllReportedTogether() {
    assertThatThrownBy(() -> parse(new HashMap<>()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raftkv.node.id is required")
        .hasMessageContaining("raftkv.peer.address is required")
        .hasMessageContaining("raftkv.data.dir is required");
  }

  @Test
  void badValuesNameTheKeyAndTheValue() {
    Map<String, String> p = minimal();
    p.put("raftkv.heartbeat.ms", "fast");
    p.put("raftkv.read.lease", "yes");
    p.put("raftkv.peer.address", "localhost");
    p.put("raftkv.cluster.state", "joining");
    assertThatThrownBy(() -> parse(p))
        .hasMessageContaining("raftkv.heartbeat.ms must be a whole number but is 'fast'")
        .hasMessageContaining("raftkv.read.lease must be true or false but is 'yes'")
        .hasMessageContaining("raftkv.peer.address: expected host:port but got 'localhost'")
        .hasMessageContaining("raftkv.cluster.state must be 'new' or 'existing'");
  }

  @Test
  void inconsistentValuesAreRejected() {
    Map<String, String> p = minimal();
    p.put("raftkv.election.timeout.ms", "200");
    p.put("raftkv.heartbeat.ms", "100");
    p.put("raftkv.queue.max", "0");
    p.put("raftkv.node.id", "9");
    assertThatThrownBy(() -> parse(p))
        .hasMessageContaining("raftkv.election.timeout.ms (200) must be at least 3 x raftkv.heartbeat.ms (100)")
        .hasMessageContaining("raftkv.queue.max must be >= 1")
        .hasMessageContaining("raftkv.cluster must list this node (raftkv.node.id=9)");
  }

  @Test
  void leaseReadsNeedADriftBelowTheElectionTimeout() {
    Map<String, String> p = minimal();
    p.put("raftkv.read.lease", "true");
    p.put("raftkv.clock.drift.ms", "1000");
    assertThatThrownBy(() -> parse(p)).hasMessageContaining("raftkv.clock.drift.ms must be below");
  }

  @Test
  void aZeroClockDriftIsRefused() {
    Map<String, String> p = minimal();
    p.put("raftkv.read.lease", "true");
    p.put("raftkv.clock.drift.ms", "0");
    assertThatThrownBy(() -> parse(p)).hasMessageContaining("raftkv.clock.drift.ms must be >= 1");
    p.put("raftkv.read.lease", "false");
    assertThatThrownBy(() -> parse(p)).hasMessageContaining("raftkv.clock.drift.ms must be >= 1");
  }

  @Test
  void leaseReadsNeedADriftBelowTheRealTimeLease() {
    Map<String, String> p = minimal();
    p.put("raftkv.election.timeout.ms", "1000");
    p.put("raftkv.heartbeat.ms", "100"); // 10 election ticks: the lease lasts (10 - 1) x 100 = 900 ms
    p.put("raftkv.read.lease", "true");
    p.put("raftkv.clock.drift.ms", "900");
    assertThatThrownBy(() -> parse(p)).hasMessageContaining("= 900 ms when raftkv.read.lease=true");
    p.put("raftkv.clock.drift.ms", "899");
    assertThat(parse(p).clockDriftMs()).isEqualTo(899);
  }

  @Test
  void clusterListsAreParsedStrictly() {
    assertThat(ClusterSpec.parse("k", " ")).isEqualTo(ClusterSpec.EMPTY);
    assertThat(ClusterSpec.parse("k", "3@[::1]:9093").address(3)).isEqualTo(new HostPort("::1", 9093));
    assertThatThrownBy(() -> ClusterSpec.parse("raftkv.cluster", "1@a:1,1@b:2"))
        .hasMessage("raftkv.cluster: bad member '1@b:2': node id 1 listed twice");
    assertThatThrownBy(() -> ClusterSpec.parse("raftkv.cluster", "x@a:1"))
        .hasMessageContaining("node id 'x' is not a number");
    assertThatThrownBy(() -> ClusterSpec.parse("raftkv.cluster", "0@a:1")).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> ClusterSpec.parse("raftkv.cluster", "1-a:1")).hasMessageContaining("expected id@host:port");
    assertThatThrownBy(() -> ClusterSpec.parse("raftkv.cluster", "1@a:99999")).hasMessageContaining("port out of range");
  }

  @Test
  void hostPortDefaultsAnEmptyHostToLoopbackAndPrintsIpv6InBrackets() {
    assertThat(HostPort.parse(":8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(HostPort.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
    assertThatThrownBy(() -> HostPort.parse("::1:80")).hasMessageContaining("brackets");
    assertThatThrownBy(() -> HostPort.parse("h:x")).hasMessageContaining("port is not a number");
  }

  @Test
  void sizeLimitsAboveTheReplicatedFormatsCapsAreRefusedAtStartup() {
    Map<String, String> p = minimal();
    p.put("raftkv.limits.key.bytes", "65537");
    p.put("raftkv.limits.value.bytes", String.valueOf((64 << 20) + 1));
    assertThatThrownBy(() -> parse(p))
        .hasMessageContaining("raftkv.limits.key.bytes must be in 1..65536")
        .hasMessageContaining("raftkv.limits.value.bytes must be in 0..67108864");
    p.put("raftkv.limits.key.bytes", "65536");
    p.put("raftkv.limits.value.bytes", String.valueOf(64 << 20));
    assertThat(parse(p).maxKeyBytes()).isEqualTo(65536);
  }
}
