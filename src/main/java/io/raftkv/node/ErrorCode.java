package io.raftkv.node;

/**
 * The store's one error vocabulary, from the Raft loop ({@link NodeException}) through the kv layer
 * ({@code KvException}) to the HTTP answer. Each code carries its HTTP status, whether the same request
 * may simply be sent again, the JSON {@code "error"} title, and its number on the forwarding wire
 * ({@code ForwardErrorCode} in proto/raft.proto): wire numbers are a protocol, never renumbered or
 * reused (ForwardCodecTest pins them), unlike {@code ordinal()}.
 */
public enum ErrorCode {
  /** The request is invalid (malformed body, bad id or address, ...); sending it again cannot help. */
  BAD_REQUEST(1, 400, false, "bad request"),
  /** The key or member does not exist. */
  NOT_FOUND(2, 404, false, "not found"),
  /** Another membership change is in flight; retry once it has finished. */
  CONFLICT(3, 409, true, "conflict"),
  /** A compare-and-set precondition did not hold. */
  PRECONDITION_FAILED(4, 412, false, "precondition failed"),
  /** The request or a value in it exceeds a configured limit. */
  TOO_LARGE(5, 413, false, "request too large"),
  /** This node is not the leader and no leader could be reached; nothing was written. */
  NOT_LEADER(6, 503, true, "unavailable"),
  /** No leader, overloaded, or shutting down; nothing was written. Retry after the hint. */
  UNAVAILABLE(7, 503, true, "unavailable"),
  /** A write was proposed but its outcome is unknown: read before retrying. */
  OUTCOME_UNKNOWN(8, 504, false, "outcome unknown"),
  /** A bug or a broken node; the details are in the server log only. */
  INTERNAL(9, 500, false, "internal error"),
  /** An Idempotency-Key was reused for a request with different content; nothing was applied. */
  IDEMPOTENCY_MISMATCH(10, 422, false, "idempotency key reused");

  private final int wire;
  private final int httpStatus;
  private final boolean retryable;
  private final String title;

  ErrorCode(int wire, int httpStatus, boolean retryable, String title) {
    this.wire = wire;
    this.httpStatus = httpStatus;
    this.retryable = retryable;
    this.title = title;
  }

  /** The stable number of the forwarding protocol. */
  public int wire() {
    return wire;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** True when sending the same request again later is safe and may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** The JSON body's {@code "error"} text. */
  public String title() {
    return title;
  }

  /** The code with this wire number, or {@link #INTERNAL} for a number this version does not know. */
  public static ErrorCode fromWire(int wire) {
    for (ErrorCode code : values()) {
      if (code.wire == wire) {
        return code;
      }
    }
    return INTERNAL;
  }
}
