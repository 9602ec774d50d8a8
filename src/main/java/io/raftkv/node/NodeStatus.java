package io.raftkv.node;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.Status;
import java.util.Map;

/**
 * What {@code GET /cluster} shows, as last published by the loop (refreshed at least every heartbeat).
 *
 * @param raft               the core's status; its progress map is filled only on the leader
 * @param snapshotIndex      index of the latest local snapshot (0 if none)
 * @param addresses          known member addresses
 * @param logFirstIndex      first index still stored in the log
 * @param logLastIndex       last stored index
 * @param snapshotsInstalled snapshots received from a leader and installed since start
 * @param removed            this node applied (so: saw committed) a membership change that removed it
 * @param appliedConf        the membership as of the applied index: only committed changes. The core's
 *                           {@code raft().conf()} takes changes effective when appended, which a new
 *                           leader may still overwrite; report outcomes from this one.
 */
public record NodeStatus(Status raft, long snapshotIndex, Map<Long, AddressBook.Member> addresses,
    long logFirstIndex, long logLastIndex, long snapshotsInstalled, boolean removed, ConfState appliedConf) {

  public NodeStatus(Status raft, long snapshotIndex, Map<Long, AddressBook.Member> addresses) {
    this(raft, snapshotIndex, addresses, 0, 0, 0, false, raft.conf());
  }

  /**
   * This node's committed membership: {@code voter}, {@code learner}, {@code removed} (it applied its
   * own removal) or {@code none} (not added yet, or removed before this run).
   */
  public String membership() {
    long self = raft.id();
    if (appliedConf.voters().contains(self)) return "voter";
    if (appliedConf.learners().contains(self)) return "learner";
    return removed ? "removed" : "none";
  }

  /** Entries stored in the log (0 when it is empty). */
  public long logEntries() {
    return Math.max(0, logLastIndex - logFirstIndex + 1);
  }
}
