package io.raftkv.api.cluster;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * {@code GET /cluster/status} (docs/api.md "Cluster"): the answering node's leader and term, and every
 * member's own view as that member reported it. {@code leader} is written as null while unknown.
 */
@JsonbPropertyOrder({"self", "leader", "term", "members"})
public record ClusterStatusResponse(long self, @JsonbNillable Long leader, long term, List<MemberStatus> members) {

  public ClusterStatusResponse {
    members = List.copyOf(members);
  }

  /**
   * One member. {@code reachable}: its {@code GET /cluster} answer was read (for the answering node: its
   * own view, without HTTP); then the figures are the member's own ({@code role} as it sees itself,
   * {@code leader} the leader it sees) and {@code lag} is the highest {@code commitIndex} among the
   * reachable members minus its {@code appliedIndex}. Otherwise only {@code error} says why.
   */
  @JsonbPropertyOrder({"id", "http", "reachable", "error", "role", "membership", "term", "leader", "commitIndex",
      "appliedIndex", "lag", "snapshotIndex", "logFirstIndex", "logLastIndex", "logEntries", "snapshotsInstalled",
      "dataBytes"})
  public record MemberStatus(long id, String http, boolean reachable, String error, String role, String membership,
      Long term, Long leader, Long commitIndex, Long appliedIndex, Long lag, Long snapshotIndex, Long logFirstIndex,
      Long logLastIndex, Long logEntries, Long snapshotsInstalled, Long dataBytes) {

    static MemberStatus unreachable(long id, String http, String error) {
      return new MemberStatus(id, http, false, error, null, null, null, null, null, null, null, null, null, null,
          null, null, null);
    }

    /** The member's own view {@code v}, which must be the view of node {@code id}. */
    static MemberStatus reachable(long id, String http, ClusterResponse v, long highestCommit) {
      if (v.self() != id) throw new IllegalArgumentException("view of node " + v.self() + " given for " + id);
      return new MemberStatus(id, http, true, null, roleOf(v), v.membership(), v.term(), v.leader(), v.commitIndex(),
          v.appliedIndex(), Math.max(0, highestCommit - v.appliedIndex()), v.snapshotIndex(), v.logFirstIndex(),
          v.logLastIndex(), v.logEntries(), v.snapshotsInstalled(), v.dataBytes());
    }

    /** The role the node gives itself in its own members list; its membership when it is not listed. */
    private static String roleOf(ClusterResponse v) {
      return v.members().stream().filter(m -> m.id() == v.self()).map(ClusterResponse.MemberResponse::role)
          .findFirst().orElse(v.membership());
    }
  }
}
