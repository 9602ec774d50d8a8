package io.raftkv.sim;

import java.util.ArrayList;
import java.util.List;

/** The client-visible history of a run: every operation with its invocation and response times. */
final class History {

  private final List<Operation> operations = new ArrayList<>();
  private long clock;

  Operation invoke(long clientId, KvOp op) {
    Operation o = new Operation(operations.size() + 1L, clientId, op, ++clock);
    operations.add(o);
    return o;
  }

  void complete(Operation o, KvOp.Result result) {
    o.complete(result, ++clock);
  }

  void fail(Operation o) {
    o.fail(++clock);
  }

  List<Operation> operations() {
    return List.copyOf(operations);
  }

  long count(Operation.Status status) {
    return operations.stream().filter(o -> o.status() == status).count();
  }
}
