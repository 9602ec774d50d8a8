package io.raftkv.sim;

/** A simulated run broke a property; the message says which, where, and how to replay it. */
final class SimulationFailure extends RuntimeException {

  private final long seed;

  SimulationFailure(long seed, String message, Throwable cause) {
    super(message, cause);
    this.seed = seed;
  }

  long seed() {
    return seed;
  }

  /** True when the failure is a violated safety property or linearizability (not a crash of the harness). */
  boolean isViolation() {
    return getCause() instanceof SafetyViolation;
  }
}
