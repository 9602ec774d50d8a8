package io.raftkv.transport;

/** The peer received a forwarded request but its handler failed; {@code getMessage()} says how. */
public class ForwardFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long peer;

  public ForwardFailedException(long peer, String detail, Throwable cause) {
    super("forward to peer " + peer + " failed: " + detail, cause);
    this.peer = peer;
  }

  public long peer() {
    return peer;
  }
}
