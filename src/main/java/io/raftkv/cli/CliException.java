package io.raftkv.cli;

/** A failure the CLI reports as one line on stderr, with the exit code that names its kind. */
final class CliException extends RuntimeException {
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
