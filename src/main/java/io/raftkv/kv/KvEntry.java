package io.raftkv.kv;

/**
 * A key's current value with etcd-style revisions: {@code modRevision} is the Raft index of the last
 * write, {@code createRevision} of the write that created it, {@code version} counts writes since creation.
 *
 * <p>{@code ttlSeconds} is 0 for a key without a time to live. In the replicated state it is the TTL the
 * last put granted (the countdown starts when that put is applied, see {@link ExpiryTracker}); in what
 * {@link KvService} reads return it is the whole seconds remaining as this node estimates them (at least
 * 1 while the key still exists, so a key with a TTL never shows 0).
 */
public record KvEntry(String key, String value, long createRevision, long modRevision, long version, long ttlSeconds) {

  public KvEntry {
    if (ttlSeconds < 0) throw new IllegalArgumentException("ttlSeconds must not be negative: " + ttlSeconds);
  }

  /** An entry without a TTL. */
  public KvEntry(String key, String value, long createRevision, long modRevision, long version) {
    this(key, value, createRevision, modRevision, version, 0);
  }

  public boolean hasTtl() {
    return ttlSeconds > 0;
  }

  /** This entry with another value (e.g. results that leave the value out, and the proposer putting it back). */
  public KvEntry withValue(String newValue) {
    return new KvEntry(key, newValue, createRevision, modRevision, version, ttlSeconds);
  }

  public KvEntry withTtl(long seconds) {
    return new KvEntry(key, value, createRevision, modRevision, version, seconds);
  }
}
