package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.HistoryRecorder.Kind;
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

  private SimLinearizability.Verdict check() {
    return new SimLinearizability().check(history.operations());
  }
}
