package io.raftkv.api.cluster;

import io.raftkv.kv.ClusterView;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * {@code GET /cluster}: {@code leader} is written as null while no leader is known; a member's
 * {@code matchIndex} only appears on the leader's view.
 */
@JsonbPropertyOrder({"self", "leader", "term", "commitIndex", "appliedIndex", "snapshotIndex", "membership",
    "logFirstIndex", "logLastIndex", "logEntries", "snapshotsInstalled", "dataBytes", "members"})
public record ClusterResponse(
    long self,
    @JsonbNillable Long leader,
    long term,
    long commitIndex,
    long appliedIndex,
    long snapshotIndex,
    String membership,
    Long logFirstIndex,
    Long logLastIndex,
    Long logEntries,
    Long snapshotsInstalled,
    Long dataBytes,
    List<MemberResponse> members) {

  public static ClusterResponse of(ClusterView view) {
    List<MemberResponse> members = view.members().stream().map(MemberResponse::of).toList();
    ClusterView.Local l = view.local();
    return new ClusterResponse(view.self(), view.leader(), view.term(), view.commitIndex(),
        view.appliedIndex(), view.snapshotIndex(), l == null ? null : l.membership(),
        l == null ? null : l.logFirstIndex(), l == null ? null : l.logLastIndex(),
        l == null ? null : l.logEntries(), l == null ? null : l.snapshotsInstalled(),
        l == null ? null : l.dataBytes(), members);
  }

  /**
   * One member; {@code http} may be absent when this node does not know the member's HTTP address.
   * {@code snapshotIndex} and {@code logEntries} appear on the answering node's own entry.
   */
  @JsonbPropertyOrder({"id", "role", "peer", "http", "matchIndex", "snapshotIndex", "logEntries"})
  public record MemberResponse(long id, String role, String peer, String http, Long matchIndex,
      Long snapshotIndex, Long logEntries) {

    public MemberResponse(long id, String role, String peer, String http, Long matchIndex) {
      this(id, role, peer, http, matchIndex, null, null);
    }

    static MemberResponse of(ClusterView.Member m) {
      return new MemberResponse(m.id(), m.role(), m.peer(), m.http(), m.matchIndex(), m.snapshotIndex(),
          m.logEntries());
    }
  }
}
