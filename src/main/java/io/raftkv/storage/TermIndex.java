package io.raftkv.storage;

import java.util.Map;
import java.util.TreeMap;

/**
 * In-memory terms of every stored entry, kept as runs (first index of a run → its term). Terms change
 * rarely, so this is a handful of runs however long the log is, and {@code term(i)} never reads JE.
 * Not thread-safe; the owner synchronizes.
 */
final class TermIndex {
  private final TreeMap<Long, Long> runs = new TreeMap<>();

  /** Forgets everything; the log now starts after {@code index}, whose term is {@code term}. */
  void reset(long index, long term) {
    runs.clear();
    runs.put(index, term);
  }

  /** Records the term of the next index (callers append in index order, after any truncation). */
  void append(long index, long term) {
    Map.Entry<Long, Long> last = runs.lastEntry();
    if (last == null || last.getValue() != term) runs.put(index, term);
  }

  /** Drops the terms of {@code index} and everything after it. */
  void truncateFrom(long index) {
    runs.tailMap(index, true).clear();
  }

  /** Forgets terms below {@code index}; lookups at and above it still work. */
  void dropBelow(long index) {
    Long floor = runs.floorKey(index);
    if (floor != null) runs.headMap(floor, false).clear();
  }

  /** Term at {@code index}; the caller has checked that the index is covered. */
  long term(long index) {
    Map.Entry<Long, Long> run = runs.floorEntry(index);
    if (run == null) throw new IllegalStateException("no term known for index " + index);
    return run.getValue();
  }

  int runCount() {
    return runs.size();
  }
}
