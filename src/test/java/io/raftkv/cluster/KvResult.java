package io.raftkv.cluster;

/**
 * What one HTTP call to the store came back with, classified by what it proves about the store.
 *
 * @param outcome what the call proves (see {@link Outcome})
 * @param status HTTP status, or 0 when no response arrived
 * @param value the value returned by a successful put or get; null otherwise
 * @param revision the revision in the response body, or 0
 * @param detail the response body, or the reason no response arrived; for messages and debug dumps
 */
public record KvResult(Outcome outcome, int status, String value, long revision, String detail) {

  /** What a response proves. */
  public enum Outcome {
    /** 200: the operation took effect (or, for a get, the value was read). */
    OK,
    /** 404 from the store: the key was absent (a get or delete that saw nothing). */
    NOT_FOUND,
    /** Definitely had no effect: 503, 4xx (incl. the server's 404 before the app is deployed), refused. */
    FAILED,
    /** A write whose effect is unknown: 504, timeout, connection lost mid-request. */
    UNKNOWN
  }

  static KvResult ok(int status, String value, long revision) {
    return ok(status, value, revision, null);
  }

  static KvResult ok(int status, String value, long revision, String body) {
    return new KvResult(Outcome.OK, status, value, revision, body);
  }

  static KvResult notFound() {
    return notFound(null);
  }

  static KvResult notFound(String body) {
    return new KvResult(Outcome.NOT_FOUND, 404, null, 0, body);
  }

  static KvResult failed(int status, String detail) {
    return new KvResult(Outcome.FAILED, status, null, 0, detail);
  }

  static KvResult unknown(int status, String detail) {
    return new KvResult(Outcome.UNKNOWN, status, null, 0, detail);
  }

  public boolean isOk() {
    return outcome == Outcome.OK;
  }
}
