package io.raftkv.node.metrics;

import java.util.Map;

/**
 * One node's Raft state and counters as plain numbers, read when metrics are scraped
 * ({@code api.metrics} turns them into MicroProfile gauges). State comes from the status the loop
 * publishes at least every heartbeat, so a value may be one heartbeat old.
 */
public interface NodeMetrics {

  /** {@link #role()} codes; stable: dashboards and alert rules compare against them. */
  int FOLLOWER = 0;
  int PRE_CANDIDATE = 1;
  int CANDIDATE = 2;
  int LEADER = 3;
  int LEARNER = 4;

  long nodeId();

  long term();

  /** One of {@link #FOLLOWER}, {@link #PRE_CANDIDATE}, {@link #CANDIDATE}, {@link #LEADER}, {@link #LEARNER}. */
  int role();

  /** The leader this node knows of; 0 when none. */
  long leaderId();

  long commitIndex();

  long appliedIndex();

  /** Committed entries not yet applied here ({@code commit - applied}, never negative). */
  default long applyLag() {
    return Math.max(0, commitIndex() - appliedIndex());
  }

  long logFirstIndex();

  long logLastIndex();

  /** Index of the latest snapshot this node holds (0 if none). */
  long snapshotIndex();

  /**
   * On the leader, each other member's replication: empty on every other node (only a leader knows
   * its followers' progress).
   */
  Map<Long, PeerReplication> peers();

  /** Free and total bytes of the file system holding the data directory; -1 when unknown. */
  long diskFreeBytes();

  long diskTotalBytes();

  /** The free space below which the log store refuses writes ({@code raftkv.storage.free.disk.bytes}); -1 unknown. */
  default long diskFreeLimitBytes() {
    return -1;
  }

  /** 1 while the node refuses requests and waits for disk space (a write was refused for the disk limit), else 0. */
  default int diskWritesBlocked() {
    return 0;
  }

  NodeCounters counters();

  /**
   * How far one follower is.
   *
   * @param matchIndex highest log index the leader knows the member stores
   * @param lag        entries the member is behind the leader's last index
   */
  record PeerReplication(long matchIndex, long lag) {}
}
