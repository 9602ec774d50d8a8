package io.raftkv.sim;

/**
 * One client operation in a history. Times are positions on one logical clock shared by every
 * invocation and response, so "a returned before b was invoked" is exact.
 */
final class Operation {

  enum Status {
    /** Invoked, no answer yet. */
    PENDING,
    /** Answered with {@link #result()}. */
    OK,
    /** Definitely had no effect (rejected before it reached a log, or its log slot went to another entry). */
    FAILED,
    /** Timed out or lost in a crash after reaching a leader: may take effect at any later time, or never. */
    UNKNOWN
  }

  static final long NEVER = Long.MAX_VALUE;

  private final long id;
  private final long clientId;
  private final KvOp op;
  private final long invokedAt;
  private long returnedAt = NEVER;
  private Status status = Status.PENDING;
  private KvOp.Result result;
  private long invokedStep;

  Operation(long id, long clientId, KvOp op, long invokedAt) {
    this.id = id;
    this.clientId = clientId;
    this.op = op;
    this.invokedAt = invokedAt;
  }

  long id() { return id; }
  long clientId() { return clientId; }
  KvOp op() { return op; }
  long invokedAt() { return invokedAt; }
  long returnedAt() { return returnedAt; }
  Status status() { return status; }
  KvOp.Result result() { return result; }
  boolean isPending() { return status == Status.PENDING; }
  /** Simulation step of the invocation (virtual time, not the logical clock). */
  long invokedStep() { return invokedStep; }

  void setInvokedStep(long step) {
    invokedStep = step;
  }

  void complete(KvOp.Result r, long at) {
    requirePending();
    status = Status.OK;
    result = r;
    returnedAt = at;
  }

  void fail(long at) {
    requirePending();
    status = Status.FAILED;
    returnedAt = at;
  }

  void markUnknown() {
    requirePending();
    status = Status.UNKNOWN;
  }

  /**
   * After the run: an operation of unknown outcome is found in the committed log, so it took effect
   * with {@code r} no later than {@code appliedAt} (when a node first applied it).
   */
  void resolveApplied(KvOp.Result r, long appliedAt) {
    requireUnknown();
    status = Status.OK;
    result = r;
    returnedAt = appliedAt;
  }

  /** After the run: the cluster settled and the operation is in no log, so it never took effect. */
  void resolveNeverApplied() {
    requireUnknown();
    status = Status.FAILED;
  }

  private void requireUnknown() {
    if (status != Status.UNKNOWN) throw new IllegalStateException("operation " + id + " is " + status);
  }

  private void requirePending() {
    if (status != Status.PENDING) throw new IllegalStateException("operation " + id + " already " + status);
  }

  @Override
  public String toString() {
    String end = returnedAt == NEVER ? "inf" : Long.toString(returnedAt);
    String res = status == Status.OK ? " -> " + result : " " + status;
    return "#" + id + " c" + clientId + " [" + invokedAt + "," + end + "] " + op + res;
  }
}
