package io.raftkv.api.kv;

import static io.raftkv.api.Stages.error;
import static io.raftkv.api.Stages.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.FakeKvService;
import io.raftkv.api.RecordingMetrics;
import io.raftkv.api.Stages;
import io.raftkv.api.error.ApiError;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvException;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import jakarta.json.bind.JsonbBuilder;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxnResourceTest {
  private final FakeKvService kv = new FakeKvService();
  private final TxnResource resource = new TxnResource(kv, new ApiLimits(8, 16, 4096), new RecordingMetrics());
  private final KvResource kvResource = new KvResource(kv, new ApiLimits(8, 16, 4096), new RecordingMetrics());

  private Object post(String idempotencyKey, String json) {
    return Stages.answered(() -> resource.txn(null, idempotencyKey,
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
  }

  private ApiError failure(String json) {
    return error(Stages.answered(() -> resource.txn(null, null,
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))));
  }

  @Test
  void theIssueShapeParsesIntoOneTxn() {
    TxnResponse response = (TxnResponse) value((java.util.concurrent.CompletionStage<?>) post("req-1", """
        {"compare":[{"key":"a","revision":5},{"key":"b","value":"x"},{"key":"c","exists":false},
                    {"key":"g","createRevision":0},{"key":"h","version":3}],
         "success":[{"op":"put","key":"d","value":"y"},{"op":"delete","key":"e"},{"op":"get","key":"f"}],
         "failure":[{"op":"get","key":"a"}]}"""));
    assertThat(kv.lastTxn).isEqualTo(new Txn(
        List.of(Txn.Compare.number("a", Txn.Target.MOD_REVISION, 5), Txn.Compare.value("b", "x"),
            Txn.Compare.exists("c", false), Txn.Compare.number("g", Txn.Target.CREATE_REVISION, 0),
            Txn.Compare.number("h", Txn.Target.VERSION, 3)),
        List.of(new Txn.Put("d", "y"), new Txn.Delete("e"), new Txn.Get("f")),
        List.of(new Txn.Get("a"))));
    assertThat(kv.lastIdempotencyKey).isEqualTo("req-1");
    assertThat(response.succeeded()).isTrue();
    assertThat(response.results()).extracting(TxnResponse.OpResponse::op).containsExactly("put", "delete", "get");
  }

  @Test
  void anEmptyObjectIsAnEmptyTxn() {
    value((java.util.concurrent.CompletionStage<?>) post(null, "{}"));
    assertThat(kv.lastTxn).isEqualTo(new Txn(List.of(), List.of(), List.of()));
    assertThat(kv.lastIdempotencyKey).isNull();
  }

  @Test
  void responsesLeaveOutWhatAnOpDoesNotHave() {
    TxnResponse response = TxnResponse.of(new TxnOutcome(false, 7, List.of(new TxnOutcome.PutResult("d", 7, 2),
        new TxnOutcome.DeleteResult("e", false), new TxnOutcome.GetResult("f", null),
        new TxnOutcome.GetResult("g", new KvEntry("g", "v", 3, 5, 2)))));
    assertThat(JsonbBuilder.create().toJson(response)).isEqualTo("{\"succeeded\":false,\"revision\":7,\"results\":["
        + "{\"op\":\"put\",\"key\":\"d\",\"revision\":7,\"version\":2},"
        + "{\"op\":\"delete\",\"key\":\"e\",\"deleted\":false},"
        + "{\"op\":\"get\",\"key\":\"f\",\"found\":false},"
        + "{\"op\":\"get\",\"key\":\"g\",\"found\":true,\"value\":\"v\",\"revision\":5,\"createRevision\":3,\"version\":2}]}");
  }

  @Test
  void badShapesAre400NamingThePlace() {
    assertThat(failure("{\"compare\":[{\"key\":\"a\"}]}").body().detail()).contains("compare[0]", "exactly one");
    assertThat(failure("{\"compare\":[{\"key\":\"a\",\"value\":\"x\",\"revision\":1}]}").body().detail()).contains("gives 2");
    assertThat(failure("{\"compare\":[{\"value\":\"x\"}]}").body().detail()).contains("compare[0] has no 'key'");
    assertThat(failure("{\"compare\":[{\"key\":\"a\",\"revision\":-1}]}").body().detail()).contains("'revision'");
    assertThat(failure("{\"compare\":[{\"key\":\"a\",\"exists\":\"no\"}]}").body().detail()).contains("'exists'");
    assertThat(failure("{\"compare\":[{\"key\":\"a\",\"modRevision\":1}]}").body().detail()).contains("unknown");
    assertThat(failure("{\"success\":[{\"op\":\"upsert\",\"key\":\"a\"}]}").body().detail()).contains("success[0].op");
    assertThat(failure("{\"success\":[{\"op\":\"put\",\"key\":\"a\"}]}").body().detail()).contains("without a 'value'");
    assertThat(failure("{\"failure\":[{\"op\":\"get\",\"key\":\"a\",\"value\":\"x\"}]}").body().detail()).contains("failure[0]");
    assertThat(failure("{\"success\":[{\"op\":\"put\",\"key\":\"a\",\"value\":\"1\"},{\"op\":\"delete\",\"key\":\"a\"}]}")
        .body().detail()).contains("writes key 'a' again");
    assertThat(failure("{\"success\":{\"op\":\"get\"}}").body().detail()).contains("must be an array");
    assertThat(failure("{\"success\":[1]}").body().detail()).contains("must be an object");
    assertThat(failure("{\"then\":[]}").status()).isEqualTo(400);
    assertThat(failure("[]").status()).isEqualTo(400);
    assertThat(failure("{\"success\":[{\"op\":\"get\",\"key\":\"123456789\"}]}").status()).isEqualTo(400); // key limit 8
    assertThat(kv.lastTxn).isNull();
  }

  @Test
  void sizeLimitsAre413() {
    String compares = "{\"key\":\"a\",\"version\":1},".repeat(TxnRequest.MAX_COMPARES + 1);
    assertThat(failure("{\"compare\":[" + compares.substring(0, compares.length() - 1) + "]}").status()).isEqualTo(413);
    String ops = "{\"op\":\"get\",\"key\":\"a\"},".repeat(TxnRequest.MAX_OPS + 1);
    ApiError tooMany = failure("{\"failure\":[" + ops.substring(0, ops.length() - 1) + "]}");
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.body().error()).isEqualTo("txn too large");
    assertThat(failure("{\"success\":[{\"op\":\"put\",\"key\":\"a\",\"value\":\"0123456789abcdefg\"}]}").status()).isEqualTo(413);
    assertThat(error(Stages.answered(() -> resource.txn("5000", null, new ByteArrayInputStream(new byte[0])))).status())
        .isEqualTo(413);
  }

  @Test
  void idempotencyKeysAreCheckedAndPassedOnForEveryWrite() {
    for (String bad : new String[] {"", "has space", "ü", "k".repeat(IdempotencyKeyHeader.MAX_CHARS + 1)}) {
      assertThat(error((java.util.concurrent.CompletionStage<?>) post(bad, "{}")).status()).as(bad).isEqualTo(400);
    }
    value(Stages.answered(() -> kvResource.put("k", null, "put-1",
        new ByteArrayInputStream("{\"value\":\"v\"}".getBytes(StandardCharsets.UTF_8)))));
    assertThat(kv.lastIdempotencyKey).isEqualTo("put-1");
    value(Stages.answered(() -> kvResource.delete("k", "del-1")));
    assertThat(kv.lastIdempotencyKey).isEqualTo("del-1");
    assertThat(error(Stages.answered(() -> kvResource.delete("k", "bad key"))).status()).isEqualTo(400);
  }

  @Test
  void aReusedIdempotencyKeyIs422() {
    kv.failNext(new KvException.IdempotencyMismatch("used for a different request"));
    ApiError e = error((java.util.concurrent.CompletionStage<?>) post("k1", "{}"));
    assertThat(e.status()).isEqualTo(422);
    assertThat(e.body().error()).isEqualTo("idempotency key reused");
  }
}
