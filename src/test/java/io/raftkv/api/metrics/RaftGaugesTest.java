package io.raftkv.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.node.metrics.LatencyHistogram;
import io.raftkv.node.metrics.NodeMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RaftGaugesTest {
  private final FakeNodeMetrics node = new FakeNodeMetrics();
  private final List<RaftGauges.Gauge> gauges = RaftGauges.node(node, () -> 4242);

  private Number value(String name) {
    return value(name, Map.of());
  }

  private Number value(String name, Map<String, String> labels) {
    return gauges.stream().filter(g -> g.name().equals(name) && g.labels().equals(labels)).findFirst()
        .orElseThrow(() -> new AssertionError("no gauge " + name + labels)).value().get();
  }

  @Test
  void stateGaugesReadTheNodeAtScrapeTime() {
    assertThat(value("raftkv_term")).isEqualTo(7L);
    assertThat(value("raftkv_role")).isEqualTo(NodeMetrics.LEADER);
    assertThat(value("raftkv_is_leader")).isEqualTo(1);
    assertThat(value("raftkv_leader_id")).isEqualTo(2L);
    assertThat(value("raftkv_apply_lag_entries")).isEqualTo(5L);
    assertThat(value("raftkv_disk_data_bytes")).isEqualTo(4242L);
    node.term = 8;
    node.role = NodeMetrics.FOLLOWER;
    node.applied = 120;
    assertThat(value("raftkv_term")).isEqualTo(8L);
    assertThat(value("raftkv_is_leader")).isEqualTo(0);
    assertThat(value("raftkv_apply_lag_entries")).isEqualTo(0L);
  }

  @Test
  void countersAreReadWhenScraped() {
    node.counters.proposed();
    node.counters.proposed();
    node.counters.logWritten(3, 300);
    node.counters.limitRejected();
    assertThat(value("raftkv_proposals_total")).isEqualTo(2L);
    assertThat(value("raftkv_log_written_entries_total")).isEqualTo(3L);
    assertThat(value("raftkv_log_written_bytes_total")).isEqualTo(300L);
    assertThat(value("raftkv_requests_rejected_total")).isEqualTo(1L);
  }

  @Test
  void aHistogramIsExportedAsCumulativeBucketsCountSumAndMax() {
    node.counters.fsync(700_000);       // 0.7 ms: in le=0.001
    node.counters.fsync(30_000_000);    // 30 ms: in le=0.05
    node.counters.fsync(20_000_000_000L); // 20 s: only in +Inf
    assertThat(value("raftkv_fsync_seconds_bucket", Map.of("le", "0.0005"))).isEqualTo(0L);
    assertThat(value("raftkv_fsync_seconds_bucket", Map.of("le", "0.001"))).isEqualTo(1L);
    assertThat(value("raftkv_fsync_seconds_bucket", Map.of("le", "0.05"))).isEqualTo(2L);
    assertThat(value("raftkv_fsync_seconds_bucket", Map.of("le", "10"))).isEqualTo(2L);
    assertThat(value("raftkv_fsync_seconds_bucket", Map.of("le", "+Inf"))).isEqualTo(3L);
    assertThat(value("raftkv_fsync_seconds_count")).isEqualTo(3L);
    assertThat(value("raftkv_fsync_seconds_sum").doubleValue()).isEqualTo(20.0307);
    assertThat(value("raftkv_fsync_seconds_max")).isEqualTo(20.0);
  }

  @Test
  void bucketBoundsArePlainDecimalSeconds() {
    assertThat(RaftGauges.le(0)).isEqualTo("0.00005");
    assertThat(RaftGauges.le(LatencyHistogram.BUCKETS - 1)).isEqualTo("10");
    List<String> all = gauges.stream().filter(g -> g.name().equals("raftkv_proposal_seconds_bucket"))
        .map(g -> g.labels().get("le")).toList();
    assertThat(all).hasSize(LatencyHistogram.BUCKETS + 1).contains("0.0025", "2.5", "+Inf").doesNotHaveDuplicates();
  }

  @Test
  void everyGaugeIsUniqueAndNamedTheWayPrometheusPrintsIt() {
    Set<String> ids = new HashSet<>();
    for (RaftGauges.Gauge g : gauges) {
      assertThat(g.name()).matches("raftkv_[a-z_]+");
      assertThat(ids.add(g.name() + g.labels())).as(g.name() + g.labels()).isTrue();
      assertThat(g.help()).isNotBlank();
      assertThat(g.value().get()).isNotNull();
    }
    Map<String, String> helpByName = gauges.stream()
        .collect(Collectors.toMap(RaftGauges.Gauge::name, RaftGauges.Gauge::help, (a, b) -> {
          assertThat(a).isEqualTo(b); // MicroProfile Metrics wants one description per name
          return a;
        }));
    assertThat(helpByName).containsKeys("raftkv_term", "raftkv_snapshot_seconds_count", "raftkv_elections_started_total");
  }

  @Test
  void peerGaugesShowTheLeadersViewAndNanOnceThePeerIsNotFollowed() {
    node.peers.put(3L, new NodeMetrics.PeerReplication(118, 3));
    List<RaftGauges.Gauge> peer = RaftGauges.peer(node, 3);
    assertThat(peer).extracting(RaftGauges.Gauge::name).containsExactly("raftkv_peer_match_index", "raftkv_peer_lag_entries");
    assertThat(peer).allMatch(g -> g.labels().equals(Map.of("peer", "3")));
    assertThat(peer.get(0).value().get()).isEqualTo(118L);
    assertThat(peer.get(1).value().get()).isEqualTo(3L);
    node.peers.clear();
    assertThat(peer.get(0).value().get()).isEqualTo(Double.NaN);
  }
}
