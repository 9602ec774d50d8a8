package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactions applied by {@link KvStateMachine}: compares, each op, one revision, atomicity. */
class TxnApplyTest {
  private final KvStateMachine sm = new KvStateMachine();
  private final List<String> changes = new ArrayList<>();
  private long index;
  private long seq;

  TxnApplyTest() {
    sm.setChangeListener(new ChangeListener() {
      @Override
      public void changed(long revision, String key, String valueOrNull) {
        changes.add(revision + ":" + key + "=" + valueOrNull);
      }

      @Override
      public void restored(long snapshotIndex) {}
    });
  }

  private KvResult apply(KvCommand command) {
    return KvResultCodec.decode(sm.apply(++index, KvCommandCodec.encode(command)));
  }

  private void put(String key, String value) {
    apply(new KvCommand.Put(1, ++seq, key, value));
  }

  private TxnOutcome txn(List<Txn.Compare> compares, List<Txn.Op> success, List<Txn.Op> failure) {
    KvResult result = apply(new KvCommand.Transaction(1, ++seq, new Txn(compares, success, failure)));
    assertThat(result).isInstanceOf(KvResult.TxnDone.class);
    return ((KvResult.TxnDone) result).outcome();
  }

  @Test
  void allComparesHoldingRunsSuccessOpsInOrderAtOneRevision() {
    put("a", "1"); // index 1
    put("e", "old"); // index 2
    changes.clear();
    TxnOutcome out = txn(
        List.of(Txn.Compare.number("a", Txn.Target.MOD_REVISION, 1), Txn.Compare.value("a", "1"),
            Txn.Compare.exists("c", false), Txn.Compare.number("a", Txn.Target.VERSION, 1),
            Txn.Compare.number("e", Txn.Target.CREATE_REVISION, 2), Txn.Compare.exists("e", true)),
        List.of(new Txn.Put("d", "y"), new Txn.Put("a", "2"), new Txn.Delete("e"), new Txn.Delete("nope"),
            new Txn.Get("a"), new Txn.Get("e")),
        List.of(new Txn.Put("failure-ran", "x")));
    assertThat(out).isEqualTo(new TxnOutcome(true, 3, List.of(
        new TxnOutcome.PutResult("d", 3, 1), new TxnOutcome.PutResult("a", 3, 2),
        new TxnOutcome.DeleteResult("e", true), new TxnOutcome.DeleteResult("nope", false),
        new TxnOutcome.GetResult("a", new KvEntry("a", "2", 1, 3, 2)), new TxnOutcome.GetResult("e", null))));
    assertThat(sm.appliedIndex()).isEqualTo(3); // one entry, one revision for every write
    assertThat(sm.get("d")).contains(new KvEntry("d", "y", 3, 3, 1));
    assertThat(sm.get("e")).isEmpty();
    assertThat(sm.get("failure-ran")).isEmpty();
    assertThat(changes).containsExactly("3:d=y", "3:a=2", "3:e=null");
  }

  @Test
  void oneFailingCompareRunsTheFailureBranchInstead() {
    put("a", "1");
    TxnOutcome out = txn(List.of(Txn.Compare.value("a", "1"), Txn.Compare.value("a", "other")),
        List.of(new Txn.Put("a", "success")),
        List.of(new Txn.Get("a"), new Txn.Put("b", "failure")));
    assertThat(out.succeeded()).isFalse();
    assertThat(out.revision()).isEqualTo(2);
    assertThat(out.results()).containsExactly(
        new TxnOutcome.GetResult("a", new KvEntry("a", "1", 1, 1, 1)), new TxnOutcome.PutResult("b", 2, 1));
    assertThat(sm.get("a").orElseThrow().value()).isEqualTo("1");
  }

  @Test
  void anAbsentKeyHasZeroRevisionsAndNoValue() {
    assertThat(txn(List.of(Txn.Compare.number("x", Txn.Target.MOD_REVISION, 0),
        Txn.Compare.number("x", Txn.Target.CREATE_REVISION, 0), Txn.Compare.number("x", Txn.Target.VERSION, 0),
        Txn.Compare.exists("x", false)), List.of(), List.of()).succeeded()).isTrue();
    assertThat(txn(List.of(Txn.Compare.value("x", "")), List.of(), List.of()).succeeded()).isFalse();
    assertThat(txn(List.of(Txn.Compare.exists("x", true)), List.of(), List.of()).succeeded()).isFalse();
    put("x", "");
    assertThat(txn(List.of(Txn.Compare.value("x", "")), List.of(), List.of()).succeeded()).isTrue();
    assertThat(txn(List.of(Txn.Compare.number("x", Txn.Target.MOD_REVISION, 0)), List.of(), List.of()).succeeded()).isFalse();
  }

  @Test
  void eachTargetComparesItsOwnField() {
    put("k", "v"); // 1
    put("k", "w"); // 2: createRevision 1, modRevision 2, version 2
    assertThat(holds(Txn.Compare.number("k", Txn.Target.CREATE_REVISION, 1))).isTrue();
    assertThat(holds(Txn.Compare.number("k", Txn.Target.CREATE_REVISION, 2))).isFalse();
    assertThat(holds(Txn.Compare.number("k", Txn.Target.MOD_REVISION, 2))).isTrue();
    assertThat(holds(Txn.Compare.number("k", Txn.Target.MOD_REVISION, 1))).isFalse();
    assertThat(holds(Txn.Compare.number("k", Txn.Target.VERSION, 2))).isTrue();
    assertThat(holds(Txn.Compare.number("k", Txn.Target.VERSION, 1))).isFalse();
    assertThat(holds(Txn.Compare.value("k", "w"))).isTrue();
    assertThat(holds(Txn.Compare.value("k", "v"))).isFalse();
  }

  private boolean holds(Txn.Compare compare) {
    return txn(List.of(compare), List.of(), List.of()).succeeded();
  }

  @Test
  void compareAndSwapByRevisionLetsExactlyOneOfTwoRacersWin() {
    put("counter", "0");
    long seen = sm.get("counter").orElseThrow().modRevision();
    TxnOutcome first = txn(List.of(Txn.Compare.number("counter", Txn.Target.MOD_REVISION, seen)),
        List.of(new Txn.Put("counter", "A")), List.of(new Txn.Get("counter")));
    TxnOutcome second = txn(List.of(Txn.Compare.number("counter", Txn.Target.MOD_REVISION, seen)),
        List.of(new Txn.Put("counter", "B")), List.of(new Txn.Get("counter")));
    assertThat(first.succeeded()).isTrue();
    assertThat(second.succeeded()).isFalse();
    assertThat(second.results()).containsExactly(new TxnOutcome.GetResult("counter", new KvEntry("counter", "A", 1, 2, 2)));
  }

  @Test
  void resultsOverTheCapRejectTheWholeTxnAndChangeNothing() {
    String big = "v".repeat(TxnApply.MAX_RESULT_CHARS / 2);
    put("big1", big);
    put("big2", big);
    changes.clear();
    KvResult result = apply(new KvCommand.Transaction(1, ++seq, new Txn(List.of(),
        List.of(new Txn.Put("written-first", "x"), new Txn.Delete("big1"), new Txn.Get("big2"), new Txn.Get("big2")),
        List.of())));
    assertThat(result).isInstanceOf(KvResult.Rejected.class);
    assertThat(((KvResult.Rejected) result).reason()).contains("exceed");
    assertThat(sm.get("written-first")).isEmpty();
    assertThat(sm.get("big1")).isPresent();
    assertThat(changes).isEmpty();
    assertThat(sm.appliedIndex()).isEqualTo(3); // the entry is consumed, as every entry is
  }

  @Test
  void aBranchMayWriteAKeyOnlyOnceButReadItOften() {
    assertThatThrownBy(() -> new Txn(List.of(), List.of(new Txn.Put("k", "1"), new Txn.Delete("k")), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than once in success");
    assertThatThrownBy(() -> new Txn(List.of(), List.of(), List.of(new Txn.Put("k", "1"), new Txn.Put("k", "2"))))
        .hasMessageContaining("failure");
    new Txn(List.of(), List.of(new Txn.Get("k"), new Txn.Put("k", "1"), new Txn.Get("k")), List.of(new Txn.Put("k", "2")));
  }

  @Test
  void compareShapesAreChecked() {
    assertThatThrownBy(() -> new Txn.Compare("k", Txn.Target.VALUE, 0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Txn.Compare("k", Txn.Target.VERSION, 1, "v")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Txn.Compare("k", Txn.Target.EXISTS, 2, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReadOnlyTxnConsumesItsEntryAndChangesNothing() {
    put("k", "v");
    TxnOutcome out = txn(List.of(), List.of(new Txn.Get("k"), new Txn.Get("missing")), List.of());
    assertThat(out).isEqualTo(new TxnOutcome(true, 2, List.of(
        new TxnOutcome.GetResult("k", new KvEntry("k", "v", 1, 1, 1)), new TxnOutcome.GetResult("missing", null))));
    assertThat(sm.get("k").orElseThrow().modRevision()).isEqualTo(1);
  }
}
