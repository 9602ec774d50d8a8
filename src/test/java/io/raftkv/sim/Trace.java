package io.raftkv.sim;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A run's fingerprint (a rolling hash of everything observable, to prove determinism) and, when enabled,
 * the tail of a human-readable event log printed on failure.
 */
final class Trace {

  private static final int KEEP = Integer.getInteger("raftkv.sim.traceKeep", 400);

  private final boolean verbose;
  private final Deque<String> tail = new ArrayDeque<>();
  private long hash = 17;

  Trace(boolean verbose) {
    this.verbose = verbose;
  }

  void mix(long v) {
    hash = hash * 0x9E3779B97F4A7C15L + v;
    hash ^= hash >>> 29;
  }

  boolean verbose() {
    return verbose;
  }

  void log(long step, String event) {
    if (!verbose) return;
    if (tail.size() == KEEP) tail.removeFirst();
    tail.addLast(step + ": " + event);
  }

  long hash() {
    return hash;
  }

  String tail() {
    return verbose ? String.join("\n", tail) : "(run with -Draftkv.sim.verbose=true for an event log)";
  }
}
