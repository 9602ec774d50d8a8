package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys in {@link KvStateMachine}: a client's retry arrives with a new request id (another
 * node, another lane), so only the key and the content digest can recognise it.
 */
class IdempotencyTest {
  private static final IdempotencyRecords.Limits SMALL = new IdempotencyRecords.Limits(3, 1 << 20, 100);
  private KvStateMachine sm = new KvStateMachine(KvStateMachine.Limits.DEFAULT, SMALL);
  private long index;
  private long client = 100;

  /** Each call comes from a new client id, as a retry through another node would; read as its proposer would. */
  private KvResult apply(KvCommand command) {
    return KvResultCodec.decodeFor(command, sm.apply(++index, KvCommandCodec.encode(command)));
  }

  private KvResult put(String idempotencyKey, String key, String value) {
    return apply(new KvCommand.Idempotent(idempotencyKey, new KvCommand.Put(++client, 1, key, value)));
  }

  @Test
  void aRetriedPutIsAppliedOnceAndAnswersTheFirstOutcome() {
    KvResult first = put("req-1", "k", "v");
    assertThat(first).isEqualTo(KvResult.Ok.put(new KvEntry("k", "v", 1, 1, 1)));
    sm.applyNoop(++index);
    KvResult retry = put("req-1", "k", "v");
    assertThat(retry).isEqualTo(first); // value restored from the retry, revision of the first apply
    assertThat(sm.get("k")).contains(new KvEntry("k", "v", 1, 1, 1)); // version 1: applied once
    assertThat(sm.appliedIndex()).isEqualTo(3);
  }

  @Test
  void theSameKeyWithOtherContentIsAMismatchAndChangesNothing() {
    put("req-1", "k", "v");
    assertThat(put("req-1", "k", "other")).isEqualTo(new KvResult.IdempotencyMismatch());
    assertThat(put("req-1", "other-key", "v")).isEqualTo(new KvResult.IdempotencyMismatch());
    assertThat(apply(new KvCommand.Idempotent("req-1", new KvCommand.Delete(++client, 1, "k"))))
        .isEqualTo(new KvResult.IdempotencyMismatch());
    assertThat(sm.get("k")).contains(new KvEntry("k", "v", 1, 1, 1));
    assertThat(sm.get("other-key")).isEmpty();
  }

  @Test
  void failuresAreFirstOutcomesToo() {
    KvCommand.Delete delete = new KvCommand.Delete(++client, 1, "absent");
    assertThat(apply(new KvCommand.Idempotent("d", delete))).isEqualTo(new KvResult.NotFound());
    put("p", "absent", "now exists");
    // The retry of the delete answers its first outcome (404), it does not delete the key created since.
    assertThat(apply(new KvCommand.Idempotent("d", new KvCommand.Delete(++client, 1, "absent"))))
        .isEqualTo(new KvResult.NotFound());
    assertThat(sm.get("absent")).isPresent();
  }

  @Test
  void aRetriedTxnAnswersItsFirstOutcomeWithoutRunningAgain() {
    Txn txn = new Txn(List.of(Txn.Compare.exists("lock", false)), List.of(new Txn.Put("lock", "me")),
        List.of(new Txn.Get("lock")));
    KvResult first = apply(new KvCommand.Idempotent("t", new KvCommand.Transaction(++client, 1, txn)));
    assertThat(((KvResult.TxnDone) first).outcome().succeeded()).isTrue();
    KvResult retry = apply(new KvCommand.Idempotent("t", new KvCommand.Transaction(++client, 1, txn)));
    assertThat(retry).isEqualTo(first); // without the key, the retry would run the failure branch
    assertThat(sm.get("lock").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void aKeyIsForgottenAfterTheWindowOfEntries() {
    put("req-1", "k", "v"); // index 1
    for (int i = 0; i < 99; i++) sm.applyNoop(++index); // index 100: 99 entries after it
    assertThat(put("req-1", "k", "v")).isEqualTo(KvResult.Ok.put(new KvEntry("k", "v", 1, 1, 1))); // 101: age 100
    assertThat(sm.get("k").orElseThrow().version()).isEqualTo(1);
    assertThat(put("req-1", "k", "v")).isEqualTo(KvResult.Ok.put(new KvEntry("k", "v", 1, 102, 2))); // age 101: new
  }

  @Test
  void beyondMaxKeysTheOldestIsForgottenFirst() {
    put("a", "ka", "1");
    put("b", "kb", "1");
    put("c", "kc", "1");
    put("d", "kd", "1"); // evicts "a"
    assertThat(sm.idempotencyKeyCount()).isEqualTo(3);
    assertThat(put("b", "kb", "1")).isEqualTo(KvResult.Ok.put(new KvEntry("kb", "1", 2, 2, 1)));
    assertThat(put("a", "ka", "1")).isEqualTo(KvResult.Ok.put(new KvEntry("ka", "1", 1, 6, 2))); // applied again
  }

  @Test
  void recordsTravelInSnapshotsAndAVersion1SnapshotStillRestores() throws IOException {
    KvResult first = put("req-1", "k", "v");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sm.captureSnapshot().writeTo(out);
    sm = new KvStateMachine(KvStateMachine.Limits.DEFAULT, SMALL);
    sm.restore(new ByteArrayInputStream(out.toByteArray()));
    assertThat(put("req-1", "k", "v")).isEqualTo(first);
    assertThat(put("req-1", "k", "w")).isEqualTo(new KvResult.IdempotencyMismatch());

    KvStateMachine old = new KvStateMachine();
    old.apply(1, KvCommandCodec.encode(new KvCommand.Put(1, 1, "k", "v")));
    ByteArrayOutputStream v2 = new ByteArrayOutputStream();
    old.captureSnapshot().writeTo(v2);
    KvStateMachine restored = new KvStateMachine();
    restored.restore(new ByteArrayInputStream(OldSnapshots.asVersion1(v2.toByteArray())));
    assertThat(restored.get("k")).contains(new KvEntry("k", "v", 1, 1, 1));
    assertThat(restored.appliedIndex()).isEqualTo(1);
  }

  @Test
  void theNodesOwnRetryOfAnIdempotentCommandIsAnsweredByItsSession() {
    KvCommand cmd = new KvCommand.Idempotent("req", new KvCommand.Put(7, 1, "k", "v"));
    KvResult first = apply(cmd);
    assertThat(apply(cmd)).isEqualTo(first);
    assertThat(sm.get("k").orElseThrow().version()).isEqualTo(1);
  }
}
