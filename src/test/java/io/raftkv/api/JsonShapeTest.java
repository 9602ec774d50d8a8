package io.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.cluster.ClusterResponse;
import io.raftkv.api.error.ErrorBody;
import io.raftkv.api.kv.DeleteResponse;
import io.raftkv.api.kv.CountResponse;
import io.raftkv.api.kv.EntryResponse;
import io.raftkv.api.kv.RangeResponse;
import io.raftkv.kv.ClusterView;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON the server's JSON-B (Yasson) writes for the response records. */
class JsonShapeTest {

  private static Jsonb jsonb;

  @BeforeAll
  static void createJsonb() {
    jsonb = JsonbBuilder.create();
  }

  @AfterAll
  static void closeJsonb() throws Exception {
    jsonb.close();
  }

  @Test
  void entryAndDeleteResponses() {
    assertThat(jsonb.toJson(new EntryResponse("foo", "bar", 7, 5, 2)))
        .isEqualTo("{\"key\":\"foo\",\"value\":\"bar\",\"revision\":7,\"createRevision\":5,\"version\":2}");
    assertThat(jsonb.toJson(new EntryResponse("foo", "bar", 7, 5, 2, 30L)))
        .isEqualTo("{\"key\":\"foo\",\"value\":\"bar\",\"revision\":7,\"createRevision\":5,\"version\":2,\"ttl\":30}");
    assertThat(jsonb.toJson(new DeleteResponse("foo", true, 8)))
        .isEqualTo("{\"key\":\"foo\",\"deleted\":true,\"revision\":8}");
  }

  @Test
  void rangeAndCountResponses() {
    assertThat(jsonb.toJson(new RangeResponse(9, List.of(new EntryResponse("a/1", "x", 7, 5, 2)), true)))
        .isEqualTo("{\"revision\":9,\"items\":[{\"key\":\"a/1\",\"value\":\"x\",\"revision\":7,"
            + "\"createRevision\":5,\"version\":2}],\"more\":true}");
    assertThat(jsonb.toJson(new RangeResponse(9, List.of(), false)))
        .isEqualTo("{\"revision\":9,\"items\":[],\"more\":false}");
    assertThat(jsonb.toJson(new CountResponse(9, 2))).isEqualTo("{\"revision\":9,\"count\":2}");
  }

  @Test
  void errorBodiesLeaveOutAbsentMembers() {
    assertThat(jsonb.toJson(new ErrorBody("key not found", null, "foo", null)))
        .isEqualTo("{\"error\":\"key not found\",\"key\":\"foo\"}");
    assertThat(jsonb.toJson(ErrorBody.of("malformed JSON", "unexpected end")))
        .isEqualTo("{\"error\":\"malformed JSON\",\"detail\":\"unexpected end\"}");
    assertThat(jsonb.toJson(new ErrorBody("revision compacted", "gone", null, null, 120L)))
        .isEqualTo("{\"error\":\"revision compacted\",\"detail\":\"gone\",\"oldestRevision\":120}");
  }

  @Test
  void clusterWritesAnUnknownLeaderAsNull() {
    ClusterView view = new ClusterView(2, null, 4, 10, 9, 0,
        List.of(new ClusterView.Member(2, "follower", "h:9091", null, null)));
    assertThat(jsonb.toJson(ClusterResponse.of(view))).isEqualTo(
        "{\"self\":2,\"leader\":null,\"term\":4,\"commitIndex\":10,\"appliedIndex\":9,\"snapshotIndex\":0,"
            + "\"members\":[{\"id\":2,\"role\":\"follower\",\"peer\":\"h:9091\"}]}");
  }
}
