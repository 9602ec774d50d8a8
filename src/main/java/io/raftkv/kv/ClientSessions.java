package io.raftkv.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The deduplication table of {@link KvStateMachine}: per client, the results of its most recent
 * requests (by sequence number) so that a retried command returns the original result instead of being
 * applied again. Only the apply thread touches it.
 *
 * <p>Every rule here is a function of the applied entries alone, so all replicas hold identical tables:
 * a client remembers at most {@code window} results, and forgetting the lowest sequence raises its
 * floor (anything below the floor counts as done: {@link Expired}); when there are more than
 * {@code maxClients} clients or more than {@code maxResultBytes} of results, the client whose last
 * command was applied longest ago (lowest index) is forgotten — never the one just updated.
 */
final class ClientSessions {
  /** Sentinel lookup result: below the client's floor. */
  static final byte[] EXPIRED = new byte[0];
  private static final int ENTRY_OVERHEAD = 16;

  /**
   * One client's immutable record; {@code seqs} ascending, {@code results[i]} belongs to {@code seqs[i]};
   * {@code bytes} is the accounted size of the results.
   */
  record Session(long clientId, long lastIndex, long floor, long[] seqs, byte[][] results, long bytes) {
    static Session of(long clientId, long lastIndex, long floor, long[] seqs, byte[][] results) {
      long total = 0;
      for (byte[] r : results) total += r.length + ENTRY_OVERHEAD;
      return new Session(clientId, lastIndex, floor, seqs, results, total);
    }

    byte[] resultOf(long seq) {
      int i = Arrays.binarySearch(seqs, seq);
      return i >= 0 ? results[i] : null;
    }
  }

  private final KvStateMachine.Limits limits;
  /** Iteration order = order of last update = ascending lastIndex. */
  private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();
  private long resultBytes;

  ClientSessions(KvStateMachine.Limits limits) {
    this.limits = limits;
  }

  /** The stored result of {@code (clientId, seq)}, {@link #EXPIRED}, or null if it was never applied. */
  byte[] lookup(long clientId, long seq) {
    Session s = sessions.get(clientId);
    if (s == null) return null;
    if (seq < s.floor()) return EXPIRED;
    return s.resultOf(seq);
  }

  /**
   * Remembers the result of a newly applied command (sequence not yet known for this client). Runs on
   * every replica for every applied write, so the client's arrays are rebuilt in one pass (plain
   * allocations and copies, no reflective {@code Arrays.copyOfRange}) and its byte count is updated
   * rather than summed again.
   */
  void record(long clientId, long seq, long index, byte[] result) {
    Session old = sessions.remove(clientId);
    long floor = old == null ? 0 : old.floor();
    long[] seqs = old == null ? new long[0] : old.seqs();
    byte[][] results = old == null ? new byte[0][] : old.results();
    long bytes = old == null ? 0 : old.bytes();
    resultBytes -= bytes;
    int at = -Arrays.binarySearch(seqs, seq) - 1;
    int drop = Math.max(0, seqs.length + 1 - limits.window());
    for (int i = 0; i < drop; i++) { // i: position in the merged order (the old ones with seq inserted at `at`)
      bytes -= mergedAt(results, at, result, i).length + ENTRY_OVERHEAD;
      floor = mergedAt(seqs, at, seq, i) + 1;
    }
    int size = seqs.length + 1 - drop;
    long[] newSeqs = new long[size];
    byte[][] newResults = new byte[size][];
    for (int i = drop; i <= seqs.length; i++) {
      newSeqs[i - drop] = mergedAt(seqs, at, seq, i);
      newResults[i - drop] = mergedAt(results, at, result, i);
    }
    Session updated = new Session(clientId, index, floor, newSeqs, newResults,
        bytes + result.length + ENTRY_OVERHEAD);
    sessions.put(clientId, updated);
    resultBytes += updated.bytes();
    evictOldest(clientId);
  }

  /** Element {@code i} of {@code old} with {@code inserted} placed at {@code at}, without building that array. */
  private static long mergedAt(long[] old, int at, long inserted, int i) {
    return i < at ? old[i] : i == at ? inserted : old[i - 1];
  }

  private static byte[] mergedAt(byte[][] old, int at, byte[] inserted, int i) {
    return i < at ? old[i] : i == at ? inserted : old[i - 1];
  }

  int size() {
    return sessions.size();
  }

  long resultBytes() {
    return resultBytes;
  }

  /** All sessions, least recently updated first (the order snapshots store them in). */
  List<Session> copy() {
    return new ArrayList<>(sessions.values());
  }

  /** Replaces the table with a snapshot's sessions, given least recently updated first. */
  void replaceWith(List<Session> restored) {
    sessions.clear();
    resultBytes = 0;
    for (Session s : restored) {
      sessions.put(s.clientId(), s);
      resultBytes += s.bytes();
    }
  }

  private void evictOldest(long keep) {
    Iterator<Session> oldestFirst = sessions.values().iterator();
    while ((sessions.size() > limits.maxClients() || resultBytes > limits.maxResultBytes()) && oldestFirst.hasNext()) {
      Session s = oldestFirst.next();
      if (s.clientId() == keep) continue;
      oldestFirst.remove();
      resultBytes -= s.bytes();
    }
  }
}
