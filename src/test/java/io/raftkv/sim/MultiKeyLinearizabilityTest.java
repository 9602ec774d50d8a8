package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.KvEntry;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.RangeResult;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on hand-written histories of range reads and transactions (docs/testing.md). */
class MultiKeyLinearizabilityTest extends HistoryCheckSupport {

  private static KvOp.Result put(long revision) {
    return KvOp.Result.written(true, revision, null);
  }

  private static KvEntry entry(String key, String value, long create, long mod, long version) {
    return new KvEntry(key, value, create, mod, version);
  }

  private static KvOp.Result range(long revision, boolean more, KvEntry... entries) {
    return KvOp.Result.range(RangeResult.items(revision, List.of(entries), more));
  }

  private static KvOp.Result txn(boolean succeeded, long revision, TxnOutcome.OpResult... results) {
    return KvOp.Result.txn(new TxnOutcome(succeeded, revision, List.of(results)));
  }

  private static KvOp twoPuts(String a, String b) {
    return KvOp.txn(new Txn(List.of(), List.of(new Txn.Put("a", a), new Txn.Put("b", b)), List.of()));
  }

  private static final KvOp ALL = KvOp.range(RangeQuery.prefix(""));

  @Test
  void aRangeSeesEveryCommittedWriteInKeyOrderWithRevisionsAndVersions() {
    op(KvOp.put("b", "1"), 1, 2, put(3));
    op(KvOp.put("a", "2"), 3, 4, put(4));
    op(KvOp.put("a", "3"), 5, 6, put(6));
    op(ALL, 7, 8, range(6, false, entry("a", "3", 4, 6, 2), entry("b", "1", 3, 3, 1)));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void aRangeThatMissesACommittedWriteIsNot() {
    op(KvOp.put("a", "1"), 1, 2, put(3));
    op(KvOp.put("b", "2"), 3, 4, put(4));
    op(ALL, 5, 6, range(4, false, entry("a", "1", 3, 3, 1)));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void aRangeWithAWrongVersionOrRevisionIsNot() {
    op(KvOp.put("a", "1"), 1, 2, put(3));
    op(KvOp.put("a", "2"), 3, 4, put(5));
    op(ALL, 5, 6, range(5, false, entry("a", "2", 3, 5, 1)));
    assertThat(linearizable()).as("version 1 after two puts").isFalse();
    history.clear();
    op(KvOp.put("a", "1"), 1, 2, put(3));
    op(ALL, 5, 6, range(7, false, entry("a", "1", 3, 4, 1)));
    assertThat(linearizable()).as("mod revision other than the put's").isFalse();
  }

  @Test
  void limitMoreAfterAndCountFollowTheModel() {
    op(KvOp.put("a", "1"), 1, 2, put(3));
    op(KvOp.put("b", "2"), 3, 4, put(4));
    op(KvOp.put("c", "3"), 5, 6, put(5));
    op(KvOp.range(RangeQuery.prefix("").withLimit(2)), 7, 8,
        range(5, true, entry("a", "1", 3, 3, 1), entry("b", "2", 4, 4, 1)));
    op(KvOp.range(RangeQuery.between("a", "c").withAfter("a")), 9, 10, range(5, false, entry("b", "2", 4, 4, 1)));
    op(KvOp.range(RangeQuery.prefix("").counting()), 11, 12, KvOp.Result.range(RangeResult.count(5, 3)));
    assertThat(linearizable()).isTrue();
    op(KvOp.range(RangeQuery.prefix("").withLimit(3)), 13, 14,
        range(5, true, entry("a", "1", 3, 3, 1), entry("b", "2", 4, 4, 1), entry("c", "3", 5, 5, 1)));
    assertThat(linearizable()).as("more=true with nothing left").isFalse();
  }

  @Test
  void aRangeConcurrentWithATxnSeesAllOfItOrNothing() {
    op(twoPuts("x", "y"), 1, 10, txn(true, 5, new TxnOutcome.PutResult("a", 5, 1), new TxnOutcome.PutResult("b", 5, 1)));
    op(ALL, 2, 3, range(4, false));
    op(ALL, 4, 5, range(5, false, entry("a", "x", 5, 5, 1), entry("b", "y", 5, 5, 1)));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void aRangeThatSeesHalfATxnIsNot() {
    op(twoPuts("x", "y"), 1, 10, txn(true, 5, new TxnOutcome.PutResult("a", 5, 1), new TxnOutcome.PutResult("b", 5, 1)));
    op(ALL, 2, 3, range(5, false, entry("a", "x", 5, 5, 1)));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void twoGetsThatSeeHalfATxnEachAreNot() {
    op(KvOp.put("a", "0"), 1, 2, put(2));
    op(KvOp.put("b", "0"), 3, 4, put(3));
    op(twoPuts("x", "y"), 5, 20, txn(true, 7, new TxnOutcome.PutResult("a", 7, 2), new TxnOutcome.PutResult("b", 7, 2)));
    op(KvOp.get("a"), 6, 7, KvOp.Result.read("x"));
    op(KvOp.get("b"), 8, 9, KvOp.Result.read("0"));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void aTxnBranchMustFollowItsCompares() {
    KvOp casTxn = KvOp.txn(new Txn(List.of(Txn.Compare.value("a", "1")),
        List.of(new Txn.Put("b", "then")), List.of(new Txn.Get("a"))));
    op(KvOp.put("a", "1"), 1, 2, put(3));
    op(casTxn, 3, 4, txn(false, 4, new TxnOutcome.GetResult("a", entry("a", "1", 3, 3, 1))));
    assertThat(linearizable()).as("else branch though a = 1").isFalse();
    history.remove(1);
    op(casTxn, 3, 4, txn(true, 4, new TxnOutcome.PutResult("b", 4, 1)));
    op(KvOp.get("b"), 5, 6, KvOp.Result.read("then"));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void twoConcurrentRevisionCompareAndSwapsCannotBothWin() {
    KvOp first = KvOp.txn(new Txn(List.of(Txn.Compare.number("a", Txn.Target.MOD_REVISION, 3)),
        List.of(new Txn.Put("a", "p")), List.of()));
    KvOp second = KvOp.txn(new Txn(List.of(Txn.Compare.number("a", Txn.Target.MOD_REVISION, 3)),
        List.of(new Txn.Put("a", "q")), List.of()));
    op(KvOp.put("a", "1"), 1, 2, put(3));
    op(first, 3, 10, txn(true, 5, new TxnOutcome.PutResult("a", 5, 2)));
    op(second, 4, 9, txn(true, 6, new TxnOutcome.PutResult("a", 6, 2)));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void revisionsMustGrowInLinearizationOrder() {
    op(KvOp.put("a", "1"), 1, 2, put(5));
    op(KvOp.put("a", "2"), 3, 4, put(4));
    assertThat(linearizable()).as("a later write at a lower revision").isFalse();
    history.clear();
    op(KvOp.put("a", "1"), 1, 2, put(5));
    op(KvOp.range(RangeQuery.prefix("")), 3, 4, range(4, false, entry("a", "1", 5, 5, 1)));
    assertThat(linearizable()).as("a range whose revision predates a write it contains").isFalse();
  }

  @Test
  void aRevisionCompareOnAnUnknownRevisionMayGoEitherWay() {
    unknown(KvOp.put("a", "1"), 1);
    op(KvOp.get("a"), 2, 3, KvOp.Result.read("1"));
    KvOp txn = KvOp.txn(new Txn(List.of(Txn.Compare.number("a", Txn.Target.MOD_REVISION, 2)),
        List.of(new Txn.Put("b", "t")), List.of(new Txn.Put("b", "f"))));
    op(txn, 4, 5, txn(true, 9, new TxnOutcome.PutResult("b", 9, 1)));
    assertThat(linearizable()).isTrue();
    history.remove(2);
    op(txn, 4, 5, txn(false, 9, new TxnOutcome.PutResult("b", 9, 1)));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void anUnknownTxnTakesEffectWholeOrNotAtAll() {
    unknown(twoPuts("x", "y"), 1);
    op(ALL, 5, 6, range(9, false, entry("a", "x", 0, 0, 1), entry("b", "y", 0, 0, 1)));
    assertThat(linearizable()).isTrue();
    history.remove(1);
    op(ALL, 5, 6, range(9, false, entry("a", "x", 0, 0, 1)));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void keysSplitIntoGroupsThatNoOperationSpans() {
    op(twoPuts("x", "y"), 1, 2, txn(true, 3, new TxnOutcome.PutResult("a", 3, 1), new TxnOutcome.PutResult("b", 3, 1)));
    op(KvOp.put("c", "1"), 3, 4, put(4));
    op(KvOp.put("d", "1"), 3, 4, put(5));
    op(KvOp.range(RangeQuery.between("c", "e")), 5, 6, range(5, false, entry("c", "1", 4, 4, 1), entry("d", "1", 5, 5, 1)));
    op(KvOp.range(RangeQuery.between("x", "z")), 7, 8, range(5, false));
    assertThat(KeyGroups.partition(history)).extracting(KeyGroups.Group::name)
        .containsExactly("(none: " + history.get(4).op() + ")", "[a, b]", "[c, d]");
    assertThat(linearizable()).isTrue();
  }
}
