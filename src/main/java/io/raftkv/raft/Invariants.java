package io.raftkv.raft;

/** Hard failures for broken Raft invariants: continuing would risk corrupting replicated state. */
final class Invariants {
  private Invariants() {}

  static IllegalStateException violated(String what) {
    return new IllegalStateException("raft invariant violated: " + what);
  }

  static void check(boolean ok, String what) {
    if (!ok) throw violated(what);
  }
}
