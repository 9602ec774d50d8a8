package io.raftkv.api.kv;

import static io.raftkv.api.Stages.error;
import static io.raftkv.api.Stages.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.FakeKvService;
import io.raftkv.api.RecordingMetrics;
import io.raftkv.api.Stages;
import io.raftkv.api.error.ApiError;
import io.raftkv.kv.KvException;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.ReadConsistency;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** {@code GET /kv?...}: parameters into a {@link RangeQuery}, results into JSON records, bad input into 400s. */
class RangeResourceTest {

  private final FakeKvService kv = new FakeKvService();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final KvResource resource = new KvResource(kv, new ApiLimits(8, 16, 64), metrics);

  private void put(String key, String value) {
    byte[] body = ("{\"value\":\"" + value + "\"}").getBytes(StandardCharsets.UTF_8);
    value(Stages.answered(() -> resource.put(key, null, null, new ByteArrayInputStream(body))));
  }

  /** The resource's answer to {@code GET /kv} with these query parameters, as a stage. */
  private Object range(Map<String, String> query) {
    return value(answer(query));
  }

  private CompletionStage<Object> answer(Map<String, String> query) {
    return Stages.answered(() -> resource.range(query.get("prefix"), query.get("start"), query.get("end"),
        query.get("after"), query.get("limit"), query.get("countOnly"), query.get("consistency")));
  }

  private ApiError rejected(Map<String, String> query) {
    return error(answer(query));
  }

  @Test
  void listsTheRangeInKeyOrderWithTheStoreRevisionAndMore() {
    put("b/2", "two");
    put("a/x", "ax");
    put("b/1", "one");
    put("b/3", "three");
    assertThat(range(Map.of("prefix", "b/", "limit", "2"))).isEqualTo(new RangeResponse(4,
        List.of(new EntryResponse("b/1", "one", 3, 3, 1), new EntryResponse("b/2", "two", 1, 1, 1)), true));
    assertThat(range(Map.of("prefix", "b/", "after", "b/2"))).isEqualTo(new RangeResponse(4,
        List.of(new EntryResponse("b/3", "three", 4, 4, 1)), false));
    assertThat(range(Map.of("prefix", "", "start", "", "after", "", "limit", "", "countOnly", "", "consistency", "")))
        .isEqualTo(range(Map.of()));
    assertThat(((RangeResponse) range(Map.of())).items()).extracting(EntryResponse::key)
        .containsExactly("a/x", "b/1", "b/2", "b/3");
  }

  @Test
  void countOnlyAnswersTheCount() {
    put("b/1", "one");
    put("b/2", "two");
    put("c", "c");
    assertThat(range(Map.of("prefix", "b/", "countOnly", "true"))).isEqualTo(new CountResponse(3, 2));
    assertThat(range(Map.of("start", "b/2", "countOnly", "TRUE"))).isEqualTo(new CountResponse(3, 2));
    assertThat(range(Map.of("countOnly", "false"))).isInstanceOf(RangeResponse.class);
  }

  @Test
  void parametersBecomeTheStoreQuery() {
    range(Map.of());
    assertThat(kv.lastRangeQuery).isEqualTo(RangeQuery.all());
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.LINEARIZABLE);
    range(Map.of("prefix", "a/", "after", "a/b", "limit", "10000", "consistency", "stale"));
    assertThat(kv.lastRangeQuery).isEqualTo(RangeQuery.prefix("a/").withAfter("a/b").withLimit(10_000));
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.STALE);
    range(Map.of("start", "a", "end", "b", "limit", "1", "consistency", "lease"));
    assertThat(kv.lastRangeQuery).isEqualTo(RangeQuery.between("a", "b").withLimit(1));
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.LEASE);
    range(Map.of("end", "m", "countOnly", "true"));
    assertThat(kv.lastRangeQuery).isEqualTo(RangeQuery.between("", "m").counting());
    assertThat(kv.lastRangeQuery.maxBytes()).isEqualTo(RangeQuery.MAX_BYTES);
    assertThat(kv.lastRangeQuery.limit()).isEqualTo(RangeQuery.DEFAULT_LIMIT);
  }

  @Test
  void contradictoryOrBadParametersAre400BeforeReachingTheStore() {
    assertRejected(Map.of("prefix", "a", "start", "a"), "invalid range", "not both");
    assertRejected(Map.of("prefix", "a", "end", "b"), "invalid range", "not both");
    assertRejected(Map.of("start", "b", "end", "b"), "invalid range", "above 'start'");
    assertRejected(Map.of("start", "b", "end", "a"), "invalid range", "above 'start'");
    assertRejected(Map.of("end", ""), "invalid range", "must not be empty");
    assertRejected(Map.of("prefix", "123456789"), "invalid range", "9 bytes");
    assertRejected(Map.of("after", "\uD800"), "invalid range", "unpaired surrogate");
    for (String limit : List.of("0", "10001", "-1", "+5", "1.5", " 5", "abc", "99999999999", "0x10")) {
      assertRejected(Map.of("limit", limit), "invalid limit", "from 1 to 10000");
    }
    assertRejected(Map.of("countOnly", "yes"), "invalid countOnly", "true or false");
    assertRejected(Map.of("countOnly", "true", "limit", "5"), "invalid limit", "countOnly");
    assertRejected(Map.of("consistency", "eventual"), "invalid consistency", "eventual");
    assertThat(kv.lastRangeQuery).isNull();
  }

  private void assertRejected(Map<String, String> query, String error, String detail) {
    ApiError e = rejected(query);
    assertThat(e.status()).as("%s", query).isEqualTo(400);
    assertThat(e.body().error()).as("%s", query).isEqualTo(error);
    assertThat(e.body().detail()).as("%s", query).contains(detail);
  }

  @Test
  void storeFailuresKeepTheirStatusAndEveryRangeIsTimed() {
    kv.failNext(new KvException.Unavailable("no leader", 2));
    ApiError e = rejected(Map.of("prefix", "a"));
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.headers()).containsEntry("Retry-After", "2");
    range(Map.of());
    rejected(Map.of("limit", "0"));
    assertThat(metrics.finished).containsExactly("range 503", "range 200", "range 400");
  }
}
