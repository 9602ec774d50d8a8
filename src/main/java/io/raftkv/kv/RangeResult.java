package io.raftkv.kv;

import java.util.List;

/**
 * The answer to a {@link RangeQuery}, read from one state of the store: {@code revision} is the applied
 * index of that state (every entry's {@code modRevision} is at most it). {@code entries} in key order and
 * {@code more} (keys of the range were left out by the limits) for a listing; {@code count} the number of
 * keys in the range for a count (then {@code entries} is empty), the number of entries otherwise.
 */
public record RangeResult(long revision, List<KvEntry> entries, boolean more, int count) {

  public RangeResult {
    entries = List.copyOf(entries);
    if (count < entries.size()) {
      throw new IllegalArgumentException("count " + count + " below the " + entries.size() + " entries");
    }
  }

  public static RangeResult items(long revision, List<KvEntry> entries, boolean more) {
    return new RangeResult(revision, entries, more, entries.size());
  }

  public static RangeResult count(long revision, int count) {
    return new RangeResult(revision, List.of(), false, count);
  }
}
