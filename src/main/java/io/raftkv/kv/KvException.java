package io.raftkv.kv;

import io.raftkv.node.ErrorCode;

/** Failures of {@link KvService} calls; each carries its {@link ErrorCode} (and so its HTTP status). */
public abstract sealed class KvException extends RuntimeException {

  protected KvException(String message) {
    super(message, null, false, false);
  }

  /** The error's place in the store's vocabulary. */
  public abstract ErrorCode code();

  /** HTTP status the boundary should answer with. */
  public final int status() {
    return code().httpStatus();
  }

  /** 404: the key or member does not exist. */
  public static final class NotFound extends KvException {
    public NotFound(String message) { super(message); }
    @Override public ErrorCode code() { return ErrorCode.NOT_FOUND; }
  }

  /** 400: the request is invalid (bad id, address, key...). */
  public static final class BadRequest extends KvException {
    public BadRequest(String message) { super(message); }
    @Override public ErrorCode code() { return ErrorCode.BAD_REQUEST; }
  }

  /** 412: a compare-and-set precondition did not hold. {@code current} may be null (key absent). */
  public static final class PreconditionFailed extends KvException {
    private final KvEntry current;
    public PreconditionFailed(String message, KvEntry current) { super(message); this.current = current; }
    public KvEntry current() { return current; }
    @Override public ErrorCode code() { return ErrorCode.PRECONDITION_FAILED; }
  }

  /** 409: another membership change is in flight. */
  public static final class Conflict extends KvException {
    public Conflict(String message) { super(message); }
    @Override public ErrorCode code() { return ErrorCode.CONFLICT; }
  }

  /** 503: no leader, leader unreachable, or overloaded. Nothing was written; retry after the hint. */
  public static final class Unavailable extends KvException {
    private final int retryAfterSeconds;
    public Unavailable(String message, int retryAfterSeconds) { super(message); this.retryAfterSeconds = retryAfterSeconds; }
    public int retryAfterSeconds() { return retryAfterSeconds; }
    @Override public ErrorCode code() { return ErrorCode.UNAVAILABLE; }
  }

  /** 504: a write was proposed but its outcome is unknown (it may or may not have been applied). */
  public static final class OutcomeUnknown extends KvException {
    public OutcomeUnknown(String message) { super(message); }
    @Override public ErrorCode code() { return ErrorCode.OUTCOME_UNKNOWN; }
  }

  /** 422: an idempotency key was reused for a request with different content. Nothing was applied. */
  public static final class IdempotencyMismatch extends KvException {
    public IdempotencyMismatch(String message) { super(message); }
    @Override public ErrorCode code() { return ErrorCode.IDEMPOTENCY_MISMATCH; }
  }
}
