package io.raftkv.kv;

import java.util.List;

/**
 * The cluster as this node sees it ({@code GET /cluster}). {@code leader} is null while unknown.
 * Member fields that only the leader knows (matchIndex) are null elsewhere; a member's storage
 * figures ({@code snapshotIndex}, {@code logEntries}) are filled for this node's own entry only (each
 * node reports its own storage: ask a node's {@code /cluster} for its figures).
 *
 * @param local this node's own storage and membership state; null when unknown (older callers)
 */
public record ClusterView(
    long self,
    Long leader,
    long term,
    long commitIndex,
    long appliedIndex,
    long snapshotIndex,
    List<Member> members,
    Local local) {

  /** Without this node's storage figures (tests and callers written before they existed). */
  public ClusterView(long self, Long leader, long term, long commitIndex, long appliedIndex, long snapshotIndex,
      List<Member> members) {
    this(self, leader, term, commitIndex, appliedIndex, snapshotIndex, members, null);
  }

  public record Member(long id, String role, String peer, String http, Long matchIndex, Long snapshotIndex,
      Long logEntries) {

    public Member(long id, String role, String peer, String http, Long matchIndex) {
      this(id, role, peer, http, matchIndex, null, null);
    }
  }

  /**
   * This node's storage and standing.
   *
   * @param membership         voter, learner, removed (this node applied its own removal) or none (not
   *                           yet added, or removed before this run), as of the committed (applied) membership
   * @param logFirstIndex      first log index still stored (entries below were compacted)
   * @param logLastIndex       last stored log index
   * @param logEntries         entries stored in the log ({@code last - first + 1}, 0 when empty)
   * @param snapshotsInstalled snapshots received from a leader and installed since this process started
   * @param dataBytes          bytes on disk under the data directory (JE files and snapshots)
   */
  public record Local(String membership, long logFirstIndex, long logLastIndex, long logEntries,
      long snapshotsInstalled, long dataBytes) {}
}
