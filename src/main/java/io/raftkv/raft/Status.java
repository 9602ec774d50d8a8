package io.raftkv.raft;

import java.util.Map;

/**
 * A snapshot of the core's state for operators ({@code GET /cluster}) and tests.
 *
 * @param progress per-member replication progress; populated only on the leader (empty otherwise)
 */
public record Status(
    long id,
    long term,
    long vote,
    long leader,
    Role role,
    long commitIndex,
    long appliedIndex,
    long lastIndex,
    ConfState conf,
    long leadTransferee,
    Map<Long, PeerProgress> progress) {

  /** How the leader sees one member's log. */
  public record PeerProgress(long match, long next, State state, boolean recentActive, int inflight) {
    public enum State { PROBE, REPLICATE, SNAPSHOT }
  }
}
