package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

  private final List<Operation> history = new ArrayList<>();
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private Operation op(KvOp kvOp, long from, long to, KvOp.Result result) {
    Operation o = new Operation(history.size() + 1L, history.size(), kvOp, from);
    o.complete(result, to);
    history.add(o);
    return o;
  }

  private Operation unknown(KvOp kvOp, long from) {
    Operation o = new Operation(history.size() + 1L, history.size(), kvOp, from);
    o.markUnknown();
    history.add(o);
    return o;
  }

  private Operation failed(KvOp kvOp, long from, long to) {
    Operation o = new Operation(history.size() + 1L, history.size(), kvOp, from);
    o.fail(to);
    history.add(o);
    return o;
  }

  private static KvOp.Result read(String v) {
    return KvOp.Result.read(v);
  }

  private boolean linearizable() {
    LinearizabilityChecker.Verdict v = checker.check(history);
    assertThat(v.exhausted()).isFalse();
    return v.linearizable();
  }

  @Test
  void sequentialPutThenGetIsLinearizable() {
    op(KvOp.put("a", "1"), 1, 2, KvOp.Result.OK);
    op(KvOp.get("a"), 3, 4, read("1"));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void staleReadAfterCompletedWriteIsNot() {
    op(KvOp.put("a", "1"), 1, 2, KvOp.Result.OK);
    op(KvOp.put("a", "2"), 3, 4, KvOp.Result.OK);
    op(KvOp.get("a"), 5, 6, read("1"));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void readOfMissingKeyBeforeAnyWriteIsLinearizable() {
    op(KvOp.get("a"), 1, 2, read(null));
    op(KvOp.put("a", "1"), 3, 4, KvOp.Result.OK);
    assertThat(linearizable()).isTrue();
  }

  @Test
  void readConcurrentWithWriteMaySeeEitherValue() {
    op(KvOp.put("a", "1"), 1, 2, KvOp.Result.OK);
    op(KvOp.put("a", "2"), 3, 10, KvOp.Result.OK);
    op(KvOp.get("a"), 4, 5, read("2"));
    op(KvOp.get("a"), 6, 7, read("2"));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void newValueThenOldValueDuringOneWriteIsNot() {
    op(KvOp.put("a", "1"), 1, 2, KvOp.Result.OK);
    op(KvOp.put("a", "2"), 3, 10, KvOp.Result.OK);
    op(KvOp.get("a"), 4, 5, read("2"));
    op(KvOp.get("a"), 6, 7, read("1"));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void unknownWriteMayTakeEffectLate() {
    unknown(KvOp.put("a", "1"), 1);
    op(KvOp.get("a"), 2, 3, read(null));
    op(KvOp.get("a"), 50, 51, read("1"));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void unknownWriteMayNeverTakeEffect() {
    op(KvOp.put("a", "0"), 1, 2, KvOp.Result.OK);
    unknown(KvOp.put("a", "1"), 3);
    op(KvOp.get("a"), 4, 5, read("0"));
    op(KvOp.get("a"), 60, 61, read("0"));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void anUnknownWriteSeenOnlyThroughADeleteStillTakesEffect() {
    // Nobody reads "1", so the first attempt drops the write; only the full search explains the delete.
    unknown(KvOp.put("a", "1"), 1);
    op(KvOp.delete("a"), 5, 6, KvOp.Result.OK);
    op(KvOp.get("a"), 7, 8, read(null));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void unknownWriteCannotBeUndone() {
    op(KvOp.put("a", "0"), 1, 2, KvOp.Result.OK);
    unknown(KvOp.put("a", "1"), 3);
    op(KvOp.get("a"), 4, 5, read("1"));
    op(KvOp.get("a"), 6, 7, read("0"));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void unknownWriteCannotTakeEffectBeforeItsInvocation() {
    op(KvOp.get("a"), 1, 2, read("1"));
    unknown(KvOp.put("a", "1"), 3);
    assertThat(linearizable()).isFalse();
  }

  @Test
  void failedWriteHasNoEffect() {
    failed(KvOp.put("a", "1"), 1, 2);
    op(KvOp.get("a"), 3, 4, read("1"));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void twoConcurrentCasFromSameValueCannotBothSucceed() {
    op(KvOp.put("a", "0"), 1, 2, KvOp.Result.OK);
    op(KvOp.cas("a", "0", "x"), 3, 6, KvOp.Result.OK);
    op(KvOp.cas("a", "0", "y"), 4, 5, KvOp.Result.OK);
    assertThat(linearizable()).isFalse();
  }

  @Test
  void casFailureRequiresDifferentValue() {
    op(KvOp.put("a", "0"), 1, 2, KvOp.Result.OK);
    op(KvOp.cas("a", "0", "x"), 3, 4, KvOp.Result.NOT_OK);
    assertThat(linearizable()).isFalse();
  }

  @Test
  void deleteReportsWhetherTheKeyExisted() {
    op(KvOp.put("a", "0"), 1, 2, KvOp.Result.OK);
    op(KvOp.delete("a"), 3, 4, KvOp.Result.OK);
    op(KvOp.delete("a"), 5, 6, KvOp.Result.NOT_OK);
    op(KvOp.get("a"), 7, 8, read(null));
    assertThat(linearizable()).isTrue();
    op(KvOp.delete("a"), 9, 10, KvOp.Result.OK);
    assertThat(linearizable()).isFalse();
  }

  @Test
  void keysAreIndependentRegisters() {
    op(KvOp.put("a", "1"), 1, 2, KvOp.Result.OK);
    op(KvOp.get("b"), 3, 4, read(null));
    assertThat(linearizable()).isTrue();
    op(KvOp.get("b"), 5, 6, read("1"));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void largeConcurrentLinearizableHistoryIsAcceptedQuickly() {
    buildLinearizableHistory(new SplittableRandom(7), 400);
    long start = System.nanoTime();
    assertThat(linearizable()).isTrue();
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
  }

  @Test
  void corruptingOneReadOfALargeHistoryIsDetected() {
    buildLinearizableHistory(new SplittableRandom(11), 300);
    Operation victim = history.stream()
        .filter(o -> o.op().kind() == KvOp.Kind.GET && o.result().value() != null)
        .skip(40).findFirst().orElseThrow();
    history.set(history.indexOf(victim), copyWithResult(victim, read("never-written")));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void withNoRoomForAMemoTheSearchIsStillExact() {
    buildLinearizableHistory(new SplittableRandom(11), 40);
    LinearizabilityChecker noMemo = new LinearizabilityChecker(50_000_000, 0);
    assertThat(noMemo.check(history).linearizable()).isTrue();
    Operation victim = history.stream()
        .filter(o -> o.op().kind() == KvOp.Kind.GET && o.result().value() != null)
        .skip(5).findFirst().orElseThrow();
    history.set(history.indexOf(victim), copyWithResult(victim, read("never-written")));
    LinearizabilityChecker.Verdict v = noMemo.check(history);
    assertThat(v.exhausted()).isFalse();
    assertThat(v.linearizable()).isFalse();
  }

  private static Operation copyWithResult(Operation o, KvOp.Result r) {
    Operation c = new Operation(o.id(), o.clientId(), o.op(), o.invokedAt());
    c.complete(r, o.returnedAt());
    return c;
  }

  /**
   * Executes random operations sequentially at random instants inside their (overlapping) intervals,
   * so the history is linearizable by construction; a few writes are recorded as unknown.
   */
  private void buildLinearizableHistory(SplittableRandom rnd, int count) {
    KvSpec.State state = KvSpec.State.EMPTY;
    long t = 0;
    List<long[]> intervals = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long point = t += 10;
      intervals.add(new long[] {point - rnd.nextInt(1, 25), point + rnd.nextInt(1, 25)});
    }
    for (int i = 0; i < count; i++) {
      KvOp kvOp = switch (rnd.nextInt(4)) {
        case 0 -> KvOp.put("k", "v" + i);
        case 1 -> KvOp.get("k");
        case 2 -> KvOp.delete("k");
        default -> KvOp.cas("k", state.get("k") == null ? "v0" : state.get("k").value(), "v" + i);
      };
      KvSpec.Outcome out = KvSpec.apply(state, kvOp, kvOp.isWrite() ? i + 1 : 0).get(0);
      state = out.next();
      long[] iv = intervals.get(i);
      if (kvOp.isWrite() && rnd.nextInt(20) == 0) {
        unknown(kvOp, iv[0]);
      } else {
        op(kvOp, iv[0], iv[1], out.result());
      }
    }
  }
}
