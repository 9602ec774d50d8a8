package io.raftkv.kv;

import io.raftkv.node.NodeException;

/** Maps the Raft loop's failures onto the boundary's {@link KvException}s by their error code. */
final class KvErrors {
  private KvErrors() {}

  /** Returns an unchecked exception to throw from a completion stage. */
  static RuntimeException translate(Throwable error) {
    Throwable t = NodeException.unwrap(error);
    if (t instanceof KvException k) return k;
    if (!(t instanceof NodeException n)) return t instanceof RuntimeException re ? re : new IllegalStateException(t);
    String message = n.getMessage();
    return switch (n.code()) {
      case NOT_LEADER -> new KvException.Unavailable(
          n instanceof NodeException.NotLeader nl && nl.leaderHint() == 0 ? "no leader is known; retry shortly" : message, 1);
      case UNAVAILABLE -> new KvException.Unavailable(message,
          n instanceof NodeException.Unavailable u ? u.retryAfterSeconds() : 1);
      case OUTCOME_UNKNOWN -> new KvException.OutcomeUnknown(message);
      case NOT_FOUND -> new KvException.NotFound(message);
      case CONFLICT -> new KvException.Conflict(message);
      case BAD_REQUEST -> new KvException.BadRequest(message);
      case IDEMPOTENCY_MISMATCH -> new KvException.IdempotencyMismatch(message);
      case PRECONDITION_FAILED, TOO_LARGE, INTERNAL -> new IllegalStateException("unexpected " + n.code(), n);
    };
  }
}
