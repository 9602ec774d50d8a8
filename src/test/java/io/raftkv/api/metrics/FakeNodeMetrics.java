package io.raftkv.api.metrics;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.node.metrics.NodeMetrics;
import java.util.HashMap;
import java.util.Map;

/** Settable {@link NodeMetrics} for tests of the export. */
final class FakeNodeMetrics implements NodeMetrics {
  long term = 7;
  int role = LEADER;
  long leader = 2;
  long commit = 120;
  long applied = 115;
  final Map<Long, PeerReplication> peers = new HashMap<>();
  final NodeCounters counters = new NodeCounters();

  @Override public long nodeId() { return 2; }
  @Override public long term() { return term; }
  @Override public int role() { return role; }
  @Override public long leaderId() { return leader; }
  @Override public long commitIndex() { return commit; }
  @Override public long appliedIndex() { return applied; }
  @Override public long logFirstIndex() { return 100; }
  @Override public long logLastIndex() { return 121; }
  @Override public long snapshotIndex() { return 99; }
  @Override public Map<Long, PeerReplication> peers() { return Map.copyOf(peers); }
  @Override public long diskFreeBytes() { return 1000; }
  @Override public long diskTotalBytes() { return 4000; }
  @Override public NodeCounters counters() { return counters; }
}
