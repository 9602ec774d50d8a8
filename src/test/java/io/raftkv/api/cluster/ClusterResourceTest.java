package io.raftkv.api.cluster;

import static io.raftkv.api.Stages.error;
import static io.raftkv.api.Stages.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.FakeKvService;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClusterResourceTest {

  private final FakeKvService kv = new FakeKvService();
  private final ClusterResource resource = new ClusterResource(kv, RequestMetrics.NONE);

  private static InputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void viewShowsLeaderIndexesAndMembers() {
    ClusterResponse view = value(resource.view());
    assertThat(view.leader()).isEqualTo(1L);
    assertThat(view.term()).isEqualTo(3);
    assertThat(view.members()).containsExactly(
        new ClusterResponse.MemberResponse(1, "leader", "127.0.0.1:9090", "127.0.0.1:8080", 0L));
    kv.setLeader(null);
    assertThat(value(resource.view()).leader()).isNull();
  }

  @Test
  void addMemberPassesTheValidatedAddresses() {
    ClusterResponse view = value(resource.addMember(null, body("{\"id\":4,\"peer\":\"host-4:9093\",\"http\":\"host-4:8083\"}")));
    assertThat(view.members()).contains(new ClusterResponse.MemberResponse(4, "learner", "host-4:9093", "host-4:8083", 0L));
  }

  @Test
  void addMemberRejectsBadBodies() {
    String[] bad = {
        "{\"peer\":\"h:1\"}", "{\"id\":0,\"peer\":\"h:1\"}", "{\"id\":\"4\",\"peer\":\"h:1\"}",
        "{\"id\":4}", "{\"id\":4,\"peer\":\"nohost\"}", "{\"id\":4,\"peer\":\"h:70000\"}",
        "{\"id\":4,\"peer\":\"h:1\",\"http\":\":80\"}", "{\"id\":4,\"peer\":\"h:1\",\"extra\":1}", "not json", ""};
    for (String json : bad) {
      assertThat(error(resource.addMember(null, body(json))).status()).as(json).isEqualTo(400);
    }
    assertThat(value(resource.view()).members()).hasSize(1);
  }

  @Test
  void removeMemberNeedsANumericIdAndReportsUnknownMembers() {
    assertThat(error(resource.removeMember("two")).status()).isEqualTo(400);
    assertThat(error(resource.removeMember("-1")).status()).isEqualTo(400);
    assertThat(error(resource.removeMember("9")).status()).isEqualTo(404);
    kv.failNext(new KvException.Conflict("a change is in flight"));
    assertThat(error(resource.removeMember("1")).status()).isEqualTo(409);
  }

  @Test
  void transferTakesAnOptionalTarget() {
    assertThat(value(resource.transferLeader(null, body(""))).leader()).isEqualTo(1L);
    assertThat(kv.lastTransferTarget).isEqualTo(OptionalLong.empty());
    assertThat(value(resource.transferLeader(null, body("{\"to\":2}"))).leader()).isEqualTo(2L);
    assertThat(kv.lastTransferTarget).isEqualTo(OptionalLong.of(2));
    assertThat(error(resource.transferLeader(null, body("{\"to\":\"x\"}"))).status()).isEqualTo(400);
    assertThat(error(resource.transferLeader("5000", body("{}"))).status()).isEqualTo(413);
  }
}
