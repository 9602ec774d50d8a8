package io.raftkv.api.cluster;

import io.raftkv.kv.ClusterView;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * {@code GET /cluster}: {@code leader} is written as null while no leader is known; a member's
 * {@code matchIndex} only appears on the leader's view.
 */
@JsonbPropertyOrder({"self", "leader", "term", "commitIndex", "appliedIndex", "snapshotIndex", "members"})
public record ClusterResponse(
    long self,
    @JsonbNillable Long leader,
    long term,
    long commitIndex,
    long appliedIndex,
    long snapshotIndex,
    List<MemberResponse> members) {

  public static ClusterResponse of(ClusterView view) {
    List<MemberResponse> members = view.members().stream().map(MemberResponse::of).toList();
    return new ClusterResponse(view.self(), view.leader(), view.term(), view.commitIndex(),
        view.appliedIndex(), view.snapshotIndex(), members);
  }

  /** One member; {@code http} may be absent when this node does not know the member's HTTP address. */
  @JsonbPropertyOrder({"id", "role", "peer", "http", "matchIndex"})
  public record MemberResponse(long id, String role, String peer, String http, Long matchIndex) {
    static MemberResponse of(ClusterView.Member m) {
      return new MemberResponse(m.id(), m.role(), m.peer(), m.http(), m.matchIndex());
    }
  }
}
