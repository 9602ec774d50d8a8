package io.raftkv.kv;

import java.util.List;

/**
 * The cluster as this node sees it ({@code GET /cluster}). {@code leader} is null while unknown.
 * Member fields that only the leader knows (matchIndex) are null elsewhere.
 */
public record ClusterView(
    long self,
    Long leader,
    long term,
    long commitIndex,
    long appliedIndex,
    long snapshotIndex,
    List<Member> members) {

  public record Member(long id, String role, String peer, String http, Long matchIndex) {}
}
