package io.raftkv.sim;

import java.util.ArrayList;
import java.util.List;

/** The client-visible history of a run: every operation with its invocation and response times. */
final class History {

  private final List<Operation> operations = new ArrayList<>();
  private long clock;

  Operation invoke(long clientId, KvOp op, long step) {
    Operation o = new Operation(operations.size() + 1L, clientId, op, ++clock);
    o.setInvokedStep(step);
    operations.add(o);
    return o;
  }

  void complete(Operation o, KvOp.Result result) {
    o.complete(result, ++clock);
  }

  void fail(Operation o) {
    o.fail(++clock);
  }

  /** Reads the logical clock for an event that is not an invocation or response (e.g. a first apply). */
  long tick() {
    return ++clock;
  }

  List<Operation> operations() {
    return List.copyOf(operations);
  }

  long count(Operation.Status status) {
    return operations.stream().filter(o -> o.status() == status).count();
  }
}
