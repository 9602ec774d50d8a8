package io.raftkv.raft;

/**
 * The pipelining window toward one follower: last indexes of APPENDs sent but not yet acknowledged,
 * in a ring buffer. Bounded by count (maxInflightMsgs).
 */
final class Inflights {
  private final long[] buffer;
  private int start;
  private int count;

  Inflights(int capacity) {
    this.buffer = new long[capacity];
  }

  void add(long lastIndex) {
    if (full()) throw Invariants.violated("inflight window overflow");
    buffer[(start + count) % buffer.length] = lastIndex;
    count++;
  }

  /** Frees every APPEND whose last index is &lt;= {@code index} (acknowledged). */
  void freeLe(long index) {
    while (count > 0 && buffer[start] <= index) {
      start = (start + 1) % buffer.length;
      count--;
    }
    if (count == 0) start = 0;
  }

  /** Forgets the oldest APPEND (presumed lost). */
  void freeFirst() {
    if (count > 0) freeLe(buffer[start]);
  }

  boolean full() {
    return count == buffer.length;
  }

  int count() {
    return count;
  }

  void reset() {
    start = 0;
    count = 0;
  }
}
