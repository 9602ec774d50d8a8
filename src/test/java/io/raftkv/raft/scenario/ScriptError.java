package io.raftkv.raft.scenario;

/** A mistake in a scenario script (unknown command, bad argument): fails the run, never recorded as output. */
final class ScriptError extends RuntimeException {
  ScriptError(String message) {
    super(message);
  }

  ScriptError(String message, Throwable cause) {
    super(message, cause);
  }
}
