package io.raftkv.api.kv;

import static io.raftkv.api.Stages.error;
import static io.raftkv.api.Stages.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.FakeKvService;
import io.raftkv.api.RecordingMetrics;
import io.raftkv.api.Stages;
import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvException;
import io.raftkv.kv.ReadConsistency;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KvResourceTest {

  private final FakeKvService kv = new FakeKvService();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final KvResource resource = new KvResource(kv, new ApiLimits(8, 16, 64), metrics);

  private static InputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private EntryResponse put(String key, String json) {
    return (EntryResponse) value(Stages.answered(() -> resource.put(key, null, null, body(json))));
  }

  @Test
  void putThenGetReturnsTheEntryWithRevisions() {
    assertThat(put("a/b", "{\"value\":\"v1\"}")).isEqualTo(new EntryResponse("a/b", "v1", 1, 1, 1));
    assertThat(put("a/b", "{\"value\":\"v2\"}")).isEqualTo(new EntryResponse("a/b", "v2", 2, 1, 2));
    assertThat(value(Stages.answered(() -> resource.get("a/b", null)))).isEqualTo(new EntryResponse("a/b", "v2", 2, 1, 2));
  }

  @Test
  void aPutsTtlReachesTheServiceAndComesBackInTheAnswer() {
    assertThat(put("t", "{\"value\":\"v\",\"ttl\":9}")).isEqualTo(new EntryResponse("t", "v", 1, 1, 1, 9L));
    assertThat(put("t", "{\"value\":\"w\"}").ttl()).isNull();
  }

  @Test
  void getPassesTheRequestedConsistencyAndDefaultsToLinearizable() {
    put("k", "{\"value\":\"v\"}");
    value(Stages.answered(() -> resource.get("k", "stale")));
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.STALE);
    value(Stages.answered(() -> resource.get("k", "LEASE")));
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.LEASE);
    value(Stages.answered(() -> resource.get("k", null)));
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.LINEARIZABLE);
  }

  @Test
  void badConsistencyIs400() {
    ApiError e = error(Stages.answered(() -> resource.get("k", "eventual")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.body().detail()).contains("eventual");
  }

  @Test
  void missingKeysAre404NamingTheKey() {
    assertThat(error(Stages.answered(() -> resource.get("nope", null))))
        .isEqualTo(new ApiError(404, new ErrorBody("key not found", null, "nope", null)));
    assertThat(error(Stages.answered(() -> resource.delete("nope", null))))
        .isEqualTo(new ApiError(404, new ErrorBody("key not found", null, "nope", null)));
  }

  @Test
  void deleteReturnsTheDeleteRevision() {
    put("k", "{\"value\":\"v\"}");
    assertThat(value(Stages.answered(() -> resource.delete("k", null)))).isEqualTo(new DeleteResponse("k", true, 2));
    assertThat(error(Stages.answered(() -> resource.get("k", null))).status()).isEqualTo(404);
  }

  @Test
  void compareAndSetSucceedsOnTheRightRevisionAndFailsWith412Otherwise() {
    put("k", "{\"value\":\"v1\"}");
    assertThat(put("k", "{\"value\":\"v2\",\"prevRevision\":1}").value()).isEqualTo("v2");
    ApiError failed = error(Stages.answered(() -> resource.put("k", null, null, body("{\"value\":\"v3\",\"prevRevision\":1}"))));
    assertThat(failed.status()).isEqualTo(412);
    assertThat(failed.body().current()).isEqualTo(new EntryResponse("k", "v2", 2, 1, 2));
    assertThat(error(Stages.answered(() -> resource.put("k", null, null, body("{\"value\":\"x\",\"prevExist\":false}")))).status()).isEqualTo(412);
    assertThat(put("k", "{\"value\":\"v3\",\"prevValue\":\"v2\"}").revision()).isEqualTo(3);
  }

  @Test
  void badInputIsRejectedBeforeReachingTheStore() {
    assertThat(error(Stages.answered(() -> resource.put("k", null, null, body("{\"value\":")))).status()).isEqualTo(400);
    assertThat(error(Stages.answered(() -> resource.put("k", null, null, body("{\"value\":1}")))).status()).isEqualTo(400);
    assertThat(error(Stages.answered(() -> resource.put("", null, null, body("{\"value\":\"v\"}")))).status()).isEqualTo(400);
    assertThat(error(Stages.answered(() -> resource.put("123456789", null, null, body("{\"value\":\"v\"}")))).status()).isEqualTo(400);
    assertThat(error(Stages.answered(() -> resource.put("k", null, null, body("{\"value\":\"0123456789abcdefg\"}")))).status()).isEqualTo(413);
    assertThat(error(Stages.answered(() -> resource.put("k", "65", null, body("{}")))).status()).isEqualTo(413);
    assertThat(error(Stages.answered(() -> resource.get("123456789", null))).status()).isEqualTo(400);
    assertThat(kv.cluster().commitIndex()).isZero();
  }

  @Test
  void writesWithoutAKeyAre400() { // GET /kv is a range read (RangeResourceTest)
    assertThat(error(resource.putWithoutKey()).body().detail()).contains("must not be empty");
    assertThat(error(resource.deleteWithoutKey()).status()).isEqualTo(400);
  }

  @Test
  void storeFailuresKeepTheirStatus() {
    kv.failNext(new KvException.Unavailable("no leader", 1));
    ApiError e = error(Stages.answered(() -> resource.put("k", null, null, body("{\"value\":\"v\"}"))));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.headers()).containsEntry("Retry-After", "1");
    kv.failNext(new KvException.OutcomeUnknown("timed out"));
    assertThat(error(Stages.answered(() -> resource.delete("k", null))).status()).isEqualTo(504);
  }

  @Test
  void aFailingMetricsRecorderNeverLeavesTheResponseUnfinished() {
    RequestMetrics broken = operation -> status -> {
      throw new IllegalStateException("metrics registry unavailable");
    };
    KvResource withBrokenMetrics = new KvResource(kv, new ApiLimits(8, 16, 64), broken);
    value(Stages.answered(() -> withBrokenMetrics.put("k", null, null, body("{\"value\":\"v\"}"))));
    assertThat(error(Stages.answered(() -> withBrokenMetrics.get("missing", null))).status()).isEqualTo(404);
  }

  @Test
  void everyRequestIsTimedWithItsFinalStatus() {
    put("k", "{\"value\":\"v\"}");
    error(Stages.answered(() -> resource.get("missing", null)));
    error(Stages.answered(() -> resource.put("k", null, null, body("nope"))));
    value(Stages.answered(() -> resource.delete("k", null)));
    assertThat(metrics.finished).containsExactly("put 200", "get 404", "put 400", "delete 200");
  }
}
