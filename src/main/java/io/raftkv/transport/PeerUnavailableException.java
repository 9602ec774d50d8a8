package io.raftkv.transport;

/** A request to a peer could not be completed because the peer could not be reached in time. */
public class PeerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the peer was unavailable. */
  public enum Reason {
    /** No address is known for the peer (not in the last {@code updatePeers}). */
    UNKNOWN_PEER,
    /** The connection failed or broke. */
    UNREACHABLE,
    /** No answer before the deadline: the request may or may not have been processed. */
    TIMEOUT,
    /** The call was cancelled (either side closed) after it may have reached the peer. */
    CANCELLED,
    /** This transport was closed before the request was sent: it never left this node. */
    CLOSED
  }

  private final long peer;
  private final Reason reason;

  public PeerUnavailableException(long peer, Reason reason, String detail, Throwable cause) {
    super("peer " + peer + " unavailable (" + reason + ")" + (detail == null ? "" : ": " + detail), cause);
    this.peer = peer;
    this.reason = reason;
  }

  public long peer() {
    return peer;
  }

  public Reason reason() {
    return reason;
  }
}
