package io.raftkv.kv;

import io.raftkv.node.NodeException;
import io.raftkv.raft.ProposalRejectedException;

/** Maps the Raft loop's failures onto the boundary's {@link KvException}s (one HTTP status each). */
final class KvErrors {
  private KvErrors() {}

  /** Returns an unchecked exception to throw from a completion stage stage. */
  static RuntimeException translate(Throwable error) {
    Throwable t = NodeException.unwrap(error);
    if (t instanceof KvException k) return k;
    if (t instanceof NodeException.Unavailable u) return new KvException.Unavailable(u.getMessage(), u.retryAfterSeconds());
    if (t instanceof NodeException.NotLeader n) {
      return new KvException.Unavailable(n.leaderHint() == 0 ? "no leader is known; retry shortly" : n.getMessage(), 1);
    }
    if (t instanceof NodeException.OutcomeUnknown o) return new KvException.OutcomeUnknown(o.getMessage());
    if (t instanceof NodeException.NotFound nf) return new KvException.NotFound(nf.getMessage());
    if (t instanceof NodeException.Rejected r) {
      if (r.reason() == ProposalRejectedException.Reason.CONF_CHANGE_PENDING) return new KvException.Conflict(r.getMessage());
      if (r.reason() == ProposalRejectedException.Reason.INVALID) return new KvException.BadRequest(r.getMessage());
      return new KvException.Unavailable(r.getMessage(), 1);
    }
    return t instanceof RuntimeException re ? re : new IllegalStateException(t);
  }
}
