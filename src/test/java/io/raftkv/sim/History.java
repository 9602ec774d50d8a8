package io.raftkv.sim;

import java.util.ArrayList;
import java.util.List;

/** The client-visible history of a run: every operation with its invocation and response times. */
public final class History {

  private final List<Operation> operations = new ArrayList<>();
  private long clock;

  /** Records an invocation outside the simulator (no virtual step). */
  public Operation invoke(long clientId, KvOp op) {
    return invoke(clientId, op, 0);
  }

  Operation invoke(long clientId, KvOp op, long step) {
    Operation o = new Operation(operations.size() + 1L, clientId, op, ++clock);
    o.setInvokedStep(step);
    operations.add(o);
    return o;
  }

  public void complete(Operation o, KvOp.Result result) {
    o.complete(result, ++clock);
  }

  public void fail(Operation o) {
    o.fail(++clock);
  }

  /** Reads the logical clock for an event that is not an invocation or response (e.g. a first apply). */
  long tick() {
    return ++clock;
  }

  public List<Operation> operations() {
    return List.copyOf(operations);
  }

  public long count(Operation.Status status) {
    return operations.stream().filter(o -> o.status() == status).count();
  }
}
