package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.HistoryRecorder.Kind;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bridge to the sim's checker maps recorded HTTP outcomes to the right register semantics. */
class SimLinearizabilityTest {
  private final HistoryRecorder history = new HistoryRecorder();

  @Test
  void sequentialPutThenReadIsLinearizable() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.ok(200, "a", 5));
    history.record(2, Kind.GET, "k", null, () -> KvResult.ok(200, "a", 5));
    assertThat(check().linearizable()).isTrue();
  }

  @Test
  void readOfAnOverwrittenValueAfterTheOverwriteIsNotLinearizable() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.ok(200, "a", 5));
    history.record(1, Kind.PUT, "k", "b", () -> KvResult.ok(200, "b", 6));
    history.record(2, Kind.GET, "k", null, () -> KvResult.ok(200, "a", 5));
    SimLinearizability.Verdict verdict = check();
    assertThat(verdict.linearizable()).isFalse();
    assertThat(verdict.explanation()).contains("k");
  }

  @Test
  void lostAcknowledgedWriteIsNotLinearizable() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.ok(200, "a", 5));
    history.record(2, Kind.GET, "k", null, KvResult::notFound);
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void unknownWriteMayTakeEffectLater() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.unknown(504, "timeout"));
    history.record(2, Kind.GET, "k", null, KvResult::notFound);
    history.record(2, Kind.GET, "k", null, () -> KvResult.ok(200, "a", 5));
    assertThat(check().linearizable()).isTrue();
  }

  @Test
  void failedWriteMustNotBeSeen() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.failed(503, "no leader"));
    history.record(2, Kind.GET, "k", null, () -> KvResult.ok(200, "a", 5));
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void deleteOfAbsentKeyAnswers404AndDeleteOfPresentKeyAnswers200() {
    history.record(1, Kind.DELETE, "k", null, KvResult::notFound);
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.ok(200, "a", 5));
    history.record(1, Kind.DELETE, "k", null, () -> KvResult.ok(200, null, 6));
    history.record(2, Kind.GET, "k", null, KvResult::notFound);
    assertThat(check().linearizable()).isTrue();
  }

  @Test
  void deleteThatReportsAbsentAfterAnAcknowledgedPutIsNotLinearizable() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.ok(200, "a", 5));
    history.record(1, Kind.DELETE, "k", null, KvResult::notFound);
    assertThat(check().linearizable()).isFalse();
  }

  @Test
  void overlappingOperationsMayTakeEffectInEitherOrder() {
    HistoryRecorder.Pending put = history.invoke(1, Kind.PUT, "k", "a");
    HistoryRecorder.Pending get = history.invoke(2, Kind.GET, "k", null);
    history.complete(get, KvResult.notFound());
    history.complete(put, KvResult.ok(200, "a", 5));
    assertThat(check().linearizable()).isTrue();
  }

  @Test
  void aReadOfAnOlderRevisionAfterAnAcknowledgedOverwriteIsNotLinearizable() {
    history.record(1, Kind.PUT, "k", "a", () -> KvResult.ok(200, "a", 5));
    history.record(2, Kind.GET, "k", null, () -> KvResult.ok(200, "a", 4));
    assertThat(check().linearizable()).as("the get names another revision than the put's").isFalse();
  }

  @Test
  void rangeAnswersAreCheckedAgainstTheModel() {
    history.record(1, Kind.PUT, "s-a", "1", () -> KvResult.ok(200, "1", 5));
    history.record(1, Kind.PUT, "s-b", "2", () -> KvResult.ok(200, "2", 6));
    String all = ModelJson.rangeQuery(RangeQuery.prefix("s-"));
    assertThat(all).isEqualTo("prefix=s-");
    history.record(2, Kind.RANGE, all, null, () -> KvResult.ok(200, null, 6, """
        {"revision":6,"items":[{"key":"s-a","value":"1","revision":5,"createRevision":5,"version":1},
         {"key":"s-b","value":"2","revision":6,"createRevision":6,"version":1}],"more":false}"""));
    history.record(2, Kind.RANGE, "start=s-a&end=s-c&countOnly=true", null,
        () -> KvResult.ok(200, null, 6, "{\"revision\":6,\"count\":2}"));
    assertThat(check().linearizable()).isTrue();
    history.record(2, Kind.RANGE, "prefix=s-&limit=1", null, () -> KvResult.ok(200, null, 7, """
        {"revision":7,"items":[{"key":"s-b","value":"2","revision":6,"createRevision":6,"version":1}],"more":true}"""));
    assertThat(check().linearizable()).as("a page that skips s-a").isFalse();
  }

  @Test
  void txnAnswersAreCheckedAgainstTheModelAndSeenWholeByRanges() {
    Txn txn = new Txn(List.of(Txn.Compare.exists("s-a", false)),
        List.of(new Txn.Put("s-a", "x"), new Txn.Put("s-b", "y")), List.of(new Txn.Get("s-a")));
    String request = ModelJson.txnRequest(txn);
    assertThat(ModelJson.parseTxnRequest(request)).isEqualTo(txn);
    history.record(1, Kind.TXN, "", request, () -> KvResult.ok(200, null, 5, """
        {"succeeded":true,"revision":5,"results":[{"op":"put","key":"s-a","revision":5,"version":1},
         {"op":"put","key":"s-b","revision":5,"version":1}]}"""));
    history.record(2, Kind.TXN, "", request, () -> KvResult.ok(200, null, 6, """
        {"succeeded":false,"revision":6,"results":[{"op":"get","key":"s-a","found":true,"value":"x",
         "revision":5,"createRevision":5,"version":1}]}"""));
    assertThat(check().linearizable()).isTrue();
    history.record(3, Kind.RANGE, "prefix=s-", null, () -> KvResult.ok(200, null, 6, """
        {"revision":6,"items":[{"key":"s-a","value":"x","revision":5,"createRevision":5,"version":1}],"more":false}"""));
    assertThat(check().linearizable()).as("a range that sees half the txn").isFalse();
  }

  @Test
  void rangeQueriesRoundTrip() {
    for (RangeQuery q : List.of(RangeQuery.prefix("s-"), RangeQuery.between("s-a", "s-c").withLimit(2),
        RangeQuery.between("s-b", null).withAfter("s-b").counting(), RangeQuery.prefix("s-").withAfter("s-a"))) {
      assertThat(ModelJson.parseRangeQuery(ModelJson.rangeQuery(q))).isEqualTo(q);
    }
  }

  private SimLinearizability.Verdict check() {
    return new SimLinearizability().check(history.operations());
  }
}
