package io.raftkv.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.ClusterView;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /cluster} carries the answering node's storage figures, on top and on its own member entry. */
class ClusterStorageJsonTest {
  private final Jsonb jsonb = JsonbBuilder.create();

  @AfterEach
  void close() throws Exception {
    jsonb.close();
  }

  @Test
  void storageFiguresOfTheAnsweringNodeAreShown() {
    ClusterView view = new ClusterView(1, 1L, 3, 1210, 1210, 1000,
        List.of(new ClusterView.Member(1, "leader", "h:9090", "h:8080", 1210L, 1000L, 311L),
            new ClusterView.Member(2, "follower", "h:9091", null, 1200L)),
        new ClusterView.Local("voter", 900, 1210, 311, 2, 4096));

    assertThat(jsonb.toJson(ClusterResponse.of(view))).isEqualTo(
        "{\"self\":1,\"leader\":1,\"term\":3,\"commitIndex\":1210,\"appliedIndex\":1210,\"snapshotIndex\":1000,"
            + "\"membership\":\"voter\",\"logFirstIndex\":900,\"logLastIndex\":1210,\"logEntries\":311,"
            + "\"snapshotsInstalled\":2,\"dataBytes\":4096,"
            + "\"members\":[{\"id\":1,\"role\":\"leader\",\"peer\":\"h:9090\",\"http\":\"h:8080\",\"matchIndex\":1210,"
            + "\"snapshotIndex\":1000,\"logEntries\":311},"
            + "{\"id\":2,\"role\":\"follower\",\"peer\":\"h:9091\",\"matchIndex\":1200}]}");
  }

  @Test
  void aRemovedNodeSaysSo() {
    ClusterView view = new ClusterView(3, null, 3, 12, 12, 0, List.of(),
        new ClusterView.Local("removed", 1, 13, 13, 0, 19_000));

    assertThat(jsonb.toJson(ClusterResponse.of(view))).contains("\"membership\":\"removed\"");
  }

  /** Encode (ClusterResponse, JSON-B) and decode (MemberViewJson, for GET /cluster/status) agree. */
  @Test
  void aMembersViewSurvivesTheTripThroughJson() {
    ClusterResponse full = new ClusterResponse(2, null, 4, 10, 9, 3, "voter", 4L, 10L, 7L, 1L, 12345L,
        List.of(new ClusterResponse.MemberResponse(1, "leader", "h:9090", "h:8080", null, null, null),
            new ClusterResponse.MemberResponse(2, "follower", "h:9091", "h:8081", null, 3L, 7L)));
    assertThat(MemberViewJson.parse(jsonb.toJson(full).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(full);
  }

  @Test
  void statusListsEachMembersOwnFiguresOrWhyThereAreNone() {
    ClusterResponse two = new ClusterResponse(2, 1L, 3, 1210, 1200, 1000, "voter", 900L, 1210L, 311L, 0L, 4096L,
        List.of(new ClusterResponse.MemberResponse(2, "follower", "h:9091", "h:8081", null)));
    ClusterStatusResponse status = new ClusterStatusResponse(2, null, 3, List.of(
        ClusterStatusResponse.MemberStatus.unreachable(1, "h:8080", "connection refused"),
        ClusterStatusResponse.MemberStatus.reachable(2, "h:8081", two, 1210)));

    assertThat(jsonb.toJson(status)).isEqualTo(
        "{\"self\":2,\"leader\":null,\"term\":3,\"members\":["
            + "{\"id\":1,\"http\":\"h:8080\",\"reachable\":false,\"error\":\"connection refused\"},"
            + "{\"id\":2,\"http\":\"h:8081\",\"reachable\":true,\"role\":\"follower\",\"membership\":\"voter\","
            + "\"term\":3,\"leader\":1,\"commitIndex\":1210,\"appliedIndex\":1200,\"lag\":10,\"snapshotIndex\":1000,"
            + "\"logFirstIndex\":900,\"logLastIndex\":1210,\"logEntries\":311,\"snapshotsInstalled\":0,"
            + "\"dataBytes\":4096}]}");
  }
}
