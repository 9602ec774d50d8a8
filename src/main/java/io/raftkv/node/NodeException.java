package io.raftkv.node;

import io.raftkv.raft.ProposalRejectedException;

/**
 * Why the Raft loop could not serve a request; {@link #code()} places it in the store's one error
 * vocabulary. The kv layer maps each subtype to its {@code KvException} (node must not depend on kv).
 */
public abstract sealed class NodeException extends RuntimeException {

  protected NodeException(String message) {
    super(message, null, false, false);
  }

  /** The error's place in the store's vocabulary (HTTP status, retryability, wire number). */
  public abstract ErrorCode code();

  /** Nothing was written (no leader, overloaded, shutting down, proposal dropped); retry later. */
  public static final class Unavailable extends NodeException {
    private final int retryAfterSeconds;

    public Unavailable(String message, int retryAfterSeconds) {
      super(message);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }

    @Override
    public ErrorCode code() {
      return ErrorCode.UNAVAILABLE;
    }
  }

  /** A write was proposed but whether it was applied is unknown (timeout, leader lost mid-flight). */
  public static final class OutcomeUnknown extends NodeException {
    public OutcomeUnknown(String message) {
      super(message);
    }

    @Override
    public ErrorCode code() {
      return ErrorCode.OUTCOME_UNKNOWN;
    }
  }

  /** This node is not the leader; {@link #leaderHint()} is 0 when no leader is known. */
  public static final class NotLeader extends NodeException {
    private final long leaderHint;

    public NotLeader(long leaderHint) {
      super(leaderHint == 0 ? "no leader is known" : "not the leader; leader is " + leaderHint);
      this.leaderHint = leaderHint;
    }

    public long leaderHint() {
      return leaderHint;
    }

    @Override
    public ErrorCode code() {
      return ErrorCode.NOT_LEADER;
    }
  }

  /** The core refused a membership change or transfer (another change pending, invalid target). */
  public static final class Rejected extends NodeException {
    private final ProposalRejectedException.Reason reason;

    public Rejected(ProposalRejectedException.Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public ProposalRejectedException.Reason reason() {
      return reason;
    }

    @Override
    public ErrorCode code() {
      return switch (reason) {
        case CONF_CHANGE_PENDING -> ErrorCode.CONFLICT;
        case INVALID -> ErrorCode.BAD_REQUEST;
        case NOT_LEADER -> ErrorCode.NOT_LEADER;
        case TRANSFER_IN_PROGRESS, UNCOMMITTED_LIMIT -> ErrorCode.UNAVAILABLE;
      };
    }
  }

  /** The member (or other named thing) does not exist. */
  public static final class NotFound extends NodeException {
    public NotFound(String message) {
      super(message);
    }

    @Override
    public ErrorCode code() {
      return ErrorCode.NOT_FOUND;
    }
  }

  /** The loop's reading of a core rejection. */
  public static NodeException from(ProposalRejectedException e) {
    return switch (e.reason()) {
      case NOT_LEADER -> new NotLeader(e.leaderHint());
      case TRANSFER_IN_PROGRESS, UNCOMMITTED_LIMIT -> new Unavailable(e.getMessage(), 1);
      case CONF_CHANGE_PENDING, INVALID -> new Rejected(e.reason(), e.getMessage());
    };
  }

  /** Unwraps CompletionException layers to find the NodeException (or other cause) inside. */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
        || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
