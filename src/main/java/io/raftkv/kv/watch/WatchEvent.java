package io.raftkv.kv.watch;

/**
 * One change to one key, as a watcher sees it. {@code revision} is the Raft log index of the write, the
 * same on every node; a transaction writing several keys produces several events with one revision, in
 * the order they were applied.
 *
 * @param value the new value, or {@code null} for a delete
 * @param expired a delete because the key's TTL ran out (an expire entry), not a client's delete
 */
public record WatchEvent(long revision, String key, String value, boolean expired) {

  public WatchEvent {
    if (expired && value != null) throw new IllegalArgumentException("only a delete can be an expiry");
  }

  /** A put ({@code value} non-null) or a client's delete. */
  public WatchEvent(long revision, String key, String value) {
    this(revision, key, value, false);
  }

  public boolean isDelete() {
    return value == null;
  }

  /** Approximate memory held by this event (UTF-16 chars plus a fixed overhead), for byte limits. */
  public long weight() {
    return 64L + 2L * key.length() + (value == null ? 0 : 2L * value.length());
  }
}
