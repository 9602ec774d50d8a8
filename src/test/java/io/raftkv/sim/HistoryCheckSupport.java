package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Hand-written histories for the linearizability checker's tests: operations in the order added. */
abstract class HistoryCheckSupport {

  protected final List<Operation> history = new ArrayList<>();

  protected void op(KvOp kvOp, long from, long to, KvOp.Result result) {
    Operation o = new Operation(history.size() + 1L, history.size(), kvOp, from);
    o.complete(result, to);
    history.add(o);
  }

  protected void unknown(KvOp kvOp, long from) {
    Operation o = new Operation(history.size() + 1L, history.size(), kvOp, from);
    o.markUnknown();
    history.add(o);
  }

  /** The checker's verdict; a search that ran out of budget is a test failure, not an answer. */
  protected boolean linearizable() {
    LinearizabilityChecker.Verdict v = new LinearizabilityChecker().check(history);
    assertThat(v.exhausted()).isFalse();
    return v.linearizable();
  }
}
