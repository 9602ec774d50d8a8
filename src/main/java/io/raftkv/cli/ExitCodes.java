package io.raftkv.cli;

/** The CLI's exit codes (docs/cli.md "Exit codes"): stable, so scripts can switch on them. */
final class ExitCodes {
  static final int OK = 0;
  /** The server refused the request (a 4xx/5xx other than those below). */
  static final int SERVER_ERROR = 1;
  /** Bad command line (picocli's usage error code). */
  static final int USAGE = 2;
  /** The key or member does not exist (404). */
  static final int NOT_FOUND = 3;
  /** A compare-and-set precondition failed (412) or a membership change is in flight (409). */
  static final int CONFLICT = 4;
  /** No endpoint answered (connection refused, timeout, or every node answered 503). */
  static final int UNAVAILABLE = 5;
  /** A write's outcome is unknown (504): read before retrying. */
  static final int OUTCOME_UNKNOWN = 6;

  private ExitCodes() {}

  static int forStatus(int status) {
    return switch (status) {
      case 404 -> NOT_FOUND;
      case 409, 412 -> CONFLICT;
      case 503 -> UNAVAILABLE;
      case 504 -> OUTCOME_UNKNOWN;
      default -> SERVER_ERROR;
    };
  }
}
