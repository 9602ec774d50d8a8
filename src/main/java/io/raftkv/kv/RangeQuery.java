package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which keys a range read returns, etcd style: the keys in {@code [start, end)} ({@code end} null: up to
 * the last key), strictly after {@code after} when it is given (paging: the last key of the previous
 * page), in key order, at most {@code limit} of them and, past the first, no more than {@code maxBytes}
 * of keys and values (UTF-8); or, when {@code countOnly}, just how many keys the range holds.
 *
 * <p>Keys are ordered as the state machine orders them, by {@link String#compareTo} (UTF-16 code units).
 * A prefix is the range {@code [prefix, prefixEnd(prefix))}: the keys starting with a prefix are exactly
 * the keys of that range in this order.
 *
 * <p>Build one with {@link #all()}, {@link #prefix(String)} or {@link #between(String, String)}, then
 * {@code withAfter}, {@code withLimit}, {@code withMaxBytes}, {@code counting}.
 */
public record RangeQuery(String start, String end, String after, int limit, long maxBytes, boolean countOnly) {

  /** Entries per answer when the client names no limit. */
  public static final int DEFAULT_LIMIT = 100;
  /** Most entries one answer may hold. */
  public static final int MAX_LIMIT = 10_000;
  /** Bound on the UTF-8 bytes of the keys and values of one answer (its first entry always fits). */
  public static final long MAX_BYTES = 4L << 20;

  public RangeQuery {
    Objects.requireNonNull(start, "start");
    if (end != null && end.compareTo(start) <= 0) {
      throw new IllegalArgumentException("end must be above start: [" + start + ", " + end + ")");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT + ": " + limit);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
  }

  /** Every key. */
  public static RangeQuery all() {
    return new RangeQuery("", null, null, DEFAULT_LIMIT, MAX_BYTES, false);
  }

  /** The keys that start with {@code prefix} (every key for the empty prefix). */
  public static RangeQuery prefix(String prefix) {
    return new RangeQuery(prefix, prefixEnd(prefix), null, DEFAULT_LIMIT, MAX_BYTES, false);
  }

  /** The keys in {@code [start, end)}; {@code end} null means up to the last key. */
  public static RangeQuery between(String start, String end) {
    return new RangeQuery(start, end, null, DEFAULT_LIMIT, MAX_BYTES, false);
  }

  public RangeQuery withAfter(String afterKey) {
    return new RangeQuery(start, end, afterKey, limit, maxBytes, countOnly);
  }

  public RangeQuery withLimit(int maxEntries) {
    return new RangeQuery(start, end, after, maxEntries, maxBytes, countOnly);
  }

  public RangeQuery withMaxBytes(long bytes) {
    return new RangeQuery(start, end, after, limit, bytes, countOnly);
  }

  public RangeQuery counting() {
    return new RangeQuery(start, end, after, limit, maxBytes, true);
  }

  /**
   * The least key above every key that starts with {@code prefix}, or null when there is none (the
   * empty prefix, or one of only U+FFFF chars): the prefix without its trailing U+FFFF chars, with its
   * last char incremented. It may end in a lone surrogate; it is only ever compared, never returned.
   */
  public static String prefixEnd(String prefix) {
    int last = prefix.length() - 1;
    while (last >= 0 && prefix.charAt(last) == Character.MAX_VALUE) last--;
    if (last < 0) return null;
    return prefix.substring(0, last) + (char) (prefix.charAt(last) + 1);
  }

  /** Runs the query over one state of the store, read at {@code revision}. */
  RangeResult over(KvTree tree, long revision) {
    boolean fromAfter = after != null && after.compareTo(start) >= 0;
    String from = fromAfter ? after : start;
    if (countOnly) {
      int upper = end == null ? tree.size() : tree.rank(end, false);
      int lower = tree.rank(from, fromAfter);
      return RangeResult.count(revision, Math.max(0, upper - lower));
    }
    Page page = new Page();
    tree.forEachFrom(from, !fromAfter, page::offer);
    return RangeResult.items(revision, page.entries, page.more);
  }

  /** Collects entries while they are in the range and within the limits; notes whether more were left. */
  private final class Page {
    final List<KvEntry> entries = new ArrayList<>();
    long bytes;
    boolean more;

    boolean offer(KvEntry entry) {
      if (end != null && entry.key().compareTo(end) >= 0) return false;
      long size = utf8Bytes(entry.key()) + utf8Bytes(entry.value());
      if (entries.size() == limit || (!entries.isEmpty() && bytes + size > maxBytes)) {
        more = true;
        return false;
      }
      entries.add(entry);
      bytes += size;
      return true;
    }
  }

  /** UTF-8 length without encoding (a surrogate pair is 4 bytes, 2 per char). */
  static long utf8Bytes(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }
}
