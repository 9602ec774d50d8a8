package io.raftkv.sim;

/** A Raft safety property or the linearizability of the client history was broken. */
final class SafetyViolation extends RuntimeException {
  SafetyViolation(String property, String detail) {
    super(property + ": " + detail);
  }
}
