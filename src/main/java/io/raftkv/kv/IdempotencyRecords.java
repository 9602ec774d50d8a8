package io.raftkv.kv;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The {@code Idempotency-Key} table of {@link KvStateMachine}, next to {@link ClientSessions} (which
 * deduplicates the node's own retries by request id; this one deduplicates a client's retries, which
 * arrive with a new request id, possibly at another node). Only the apply thread touches it.
 *
 * <p>A record holds the content digest of the first request with that key and its (value-less) result.
 * Every rule is a function of the applied entries alone, so all replicas hold identical tables: a
 * record is forgotten once more than {@link Limits#windowEntries()} log entries were applied after it,
 * or when more than {@link Limits#maxKeys()} keys or {@link Limits#maxResultBytes()} of results are
 * remembered (oldest first; never the record just added).
 */
final class IdempotencyRecords {
  private static final int RECORD_OVERHEAD = 64;

  /**
   * @param maxKeys        idempotency keys remembered
   * @param maxResultBytes total accounted bytes of keys and results
   * @param windowEntries  log entries after which a record is forgotten (a retry must come sooner)
   */
  record Limits(int maxKeys, long maxResultBytes, long windowEntries) {
    static final Limits DEFAULT = new Limits(100_000, 64L << 20, 10_000_000);

    Limits {
      if (maxKeys < 1 || maxResultBytes < 1 || windowEntries < 1) throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** One remembered request: applied at {@code index}, its content {@code digest} and encoded result. */
  record Record(String key, long digest, long index, byte[] result) {
    long bytes() {
      return (long) key.length() * 2 + result.length + RECORD_OVERHEAD;
    }
  }

  private final Limits limits;
  /** Insertion order = ascending index. */
  private final LinkedHashMap<String, Record> records = new LinkedHashMap<>();
  private long bytes;

  IdempotencyRecords(Limits limits) {
    this.limits = limits;
  }

  /** The live record of {@code key} as seen by the entry at {@code index}, or null. */
  Record lookup(String key, long index) {
    forgetOlderThanWindow(index);
    return records.get(key);
  }

  /** Remembers the result of a request applied at {@code index} whose key has no live record. */
  void record(String key, long digest, long index, byte[] result) {
    Record added = new Record(key, digest, index, result);
    Record replaced = records.put(key, added);
    if (replaced != null) throw new IllegalStateException("idempotency key recorded twice: " + key);
    bytes += added.bytes();
    Iterator<Record> oldestFirst = records.values().iterator();
    while ((records.size() > limits.maxKeys() || bytes > limits.maxResultBytes()) && oldestFirst.hasNext()) {
      Record r = oldestFirst.next();
      if (r == added) break;
      oldestFirst.remove();
      bytes -= r.bytes();
    }
  }

  int size() {
    return records.size();
  }

  /** All records, oldest first (the order snapshots store them in). */
  List<Record> copy() {
    return new ArrayList<>(records.values());
  }

  /** Replaces the table with a snapshot's records, given oldest first. */
  void replaceWith(List<Record> restored) {
    records.clear();
    bytes = 0;
    for (Record r : restored) {
      records.put(r.key(), r);
      bytes += r.bytes();
    }
  }

  private void forgetOlderThanWindow(long index) {
    Iterator<Record> oldestFirst = records.values().iterator();
    while (oldestFirst.hasNext()) {
      Record r = oldestFirst.next();
      if (index - r.index() <= limits.windowEntries()) return;
      oldestFirst.remove();
      bytes -= r.bytes();
    }
  }
}
