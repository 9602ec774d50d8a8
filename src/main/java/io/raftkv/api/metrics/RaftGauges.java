package io.raftkv.api.metrics;

import io.raftkv.node.metrics.LatencyHistogram;
import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.node.metrics.NodeMetrics;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every Raft metric this node exports, as gauges read when {@code /metrics} is scraped (the node counts
 * in plain Java, {@link NodeCounters}; nothing here runs per request). The names are the names in
 * Prometheus text (MicroProfile Metrics 5 adds only the {@code mp_scope="application"} label): a
 * counter ends in {@code _total} and only grows (use {@code rate()}); a histogram {@code X} is the gauges
 * {@code X_bucket{le=...}} (cumulative, as Prometheus histograms are: use {@code histogram_quantile}),
 * {@code X_count}, {@code X_sum} and {@code X_max}. docs/operations.md, "Metrics", lists them all.
 */
final class RaftGauges {

  /** Label of the per-peer gauges: the member id. */
  static final String PEER = "peer";
  static final String PEER_MATCH_INDEX = "raftkv_peer_match_index";
  static final String PEER_LAG = "raftkv_peer_lag_entries";

  /** One gauge: Prometheus name, labels, help text and the value read at scrape time. */
  record Gauge(String name, Map<String, String> labels, String help, Supplier<Number> value) {}

  private RaftGauges() {}

  /** The node's gauges (all but the per-peer ones); {@code dataBytes} reads the Raft data's size on disk. */
  static List<Gauge> node(NodeMetrics m, LongSupplier dataBytes) {
    List<Gauge> g = new ArrayList<>();
    NodeCounters c = m.counters();
    add(g, "raftkv_node_id", "this node's member id", m::nodeId);
    add(g, "raftkv_term", "current Raft term", m::term);
    add(g, "raftkv_role", "0 follower, 1 pre-candidate, 2 candidate, 3 leader, 4 learner", m::role);
    add(g, "raftkv_is_leader", "1 on the leader, 0 elsewhere", () -> m.role() == NodeMetrics.LEADER ? 1 : 0);
    add(g, "raftkv_leader_id", "member id of the leader this node knows, 0 when none", m::leaderId);
    add(g, "raftkv_commit_index", "highest log index known committed", m::commitIndex);
    add(g, "raftkv_applied_index", "highest log index applied to the key-value state", m::appliedIndex);
    add(g, "raftkv_apply_lag_entries", "committed entries not yet applied here", m::applyLag);
    add(g, "raftkv_log_first_index", "first index still stored in the log", m::logFirstIndex);
    add(g, "raftkv_log_last_index", "last index stored in the log", m::logLastIndex);
    add(g, "raftkv_snapshot_index", "index of the latest snapshot held", m::snapshotIndex);
    add(g, "raftkv_proposals_total", "proposals handed to the Raft core on this node (the leader)", c::proposals);
    histogram(g, "raftkv_proposal_seconds", "proposal latency on the leader, queued to applied", c.proposalLatency());
    add(g, "raftkv_read_index_rounds_total", "ReadIndex quorum rounds started (one per batch of reads)",
        c::readIndexRounds);
    histogram(g, "raftkv_fsync_seconds", "duration of a synced log write (JE commit with fsync)", c.fsyncLatency());
    add(g, "raftkv_log_written_entries_total", "entries written to the log", c::entriesWritten);
    add(g, "raftkv_log_written_bytes_total", "entry bytes written to the log (payload and per-entry overhead)",
        c::bytesWritten);
    add(g, "raftkv_snapshots_total", "local snapshots written", c::snapshotsTaken);
    histogram(g, "raftkv_snapshot_seconds", "time to write a local snapshot, capture to durable file",
        c.snapshotDuration());
    add(g, "raftkv_snapshot_last_bytes", "size of the last local snapshot written (0 before the first)",
        c::lastSnapshotBytes);
    add(g, "raftkv_install_snapshot_sent_total", "snapshots streamed to followers and accepted", c::snapshotsSent);
    add(g, "raftkv_install_snapshot_send_failures_total", "snapshot streams to followers that failed",
        c::snapshotSendFailures);
    add(g, "raftkv_install_snapshot_received_total", "snapshots received from a leader and installed",
        c::snapshotsReceived);
    add(g, "raftkv_leader_changes_total", "times this node learned of a new leader", c::leaderChanges);
    add(g, "raftkv_elections_started_total", "elections this node started (became candidate)",
        c::electionsStarted);
    add(g, "raftkv_requests_rejected_total", "requests refused with 503: pending-request bound reached",
        c::rejectedByLimit);
    add(g, "raftkv_disk_data_bytes", "bytes of Raft data on disk (log and snapshots); -1 unknown", dataBytes::getAsLong);
    add(g, "raftkv_disk_free_bytes", "usable bytes on the data directory's file system; -1 unknown",
        m::diskFreeBytes);
    add(g, "raftkv_disk_total_bytes", "size of the data directory's file system; -1 unknown", m::diskTotalBytes);
    add(g, "raftkv_disk_free_limit_bytes", "free space below which the log store refuses writes; -1 unknown",
        m::diskFreeLimitBytes);
    add(g, "raftkv_disk_writes_blocked", "1 while the node waits for disk space and refuses requests, else 0",
        m::diskWritesBlocked);
    return g;
  }

  /**
   * The leader's view of one follower. NaN once {@code peer} is no longer followed (this node lost
   * leadership or the member left) until the registrar removes the gauge.
   */
  static List<Gauge> peer(NodeMetrics m, long peer) {
    Map<String, String> label = Map.of(PEER, Long.toString(peer));
    return List.of(
        new Gauge(PEER_MATCH_INDEX, label, "on the leader: highest index the member is known to store",
            () -> peerValue(m, peer, NodeMetrics.PeerReplication::matchIndex)),
        new Gauge(PEER_LAG, label, "on the leader: entries the member is behind the leader's last index",
            () -> peerValue(m, peer, NodeMetrics.PeerReplication::lag)));
  }

  private static Number peerValue(NodeMetrics m, long peer, Function<NodeMetrics.PeerReplication, Long> field) {
    NodeMetrics.PeerReplication p = m.peers().get(peer);
    if (p == null) return Double.NaN; // (a conditional expression would turn the Long into a double too)
    return field.apply(p);
  }

  private static void histogram(List<Gauge> g, String name, String help, LatencyHistogram h) {
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      int bucket = i;
      g.add(new Gauge(name + "_bucket", Map.of("le", le(i)), help + ", observations <= le seconds",
          () -> h.snapshot().cumulative(bucket)));
    }
    g.add(new Gauge(name + "_bucket", Map.of("le", "+Inf"), help + ", observations <= le seconds",
        () -> h.snapshot().count()));
    add(g, name + "_count", help + ", observations", () -> h.snapshot().count());
    add(g, name + "_sum", help + ", total seconds", () -> h.snapshot().sumSeconds());
    add(g, name + "_max", help + ", longest seconds since start", () -> h.snapshot().maxNanos() / 1e9);
  }

  /** A bucket bound as Prometheus prints one: plain decimal seconds ({@code 0.00005}, {@code 2.5}, {@code 10}). */
  static String le(int bucket) {
    return BigDecimal.valueOf(LatencyHistogram.boundSeconds(bucket)).stripTrailingZeros().toPlainString();
  }

  private static void add(List<Gauge> g, String name, String help, Supplier<Number> value) {
    g.add(new Gauge(name, Map.of(), help, value));
  }
}
