package io.raftkv.kv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * This node's deadlines for the keys that have a TTL: node-local observations, never replicated. The
 * state machine reports every TTL it applies ({@link #set}) and every key that loses one ({@link #remove});
 * the deadline is this node's monotonic clock <em>when it applied the put</em> plus the TTL. A follower
 * applies a put only after the leader committed it, so its deadline is never earlier than the leader's:
 * a follower that becomes leader expires no key early, whatever its wall clock says (only monotonic
 * durations are compared, on one machine). What it can be is late, by its apply lag (milliseconds) or,
 * for keys it learned from a snapshot or a log replay after a restart, by the time between the put and
 * that restore (see docs/ttl.md).
 *
 * <p>Bounded by the number of keys with a TTL (one entry each). Thread-safe: the apply thread writes,
 * the {@link ExpiryTicker} and readers read.
 */
public final class ExpiryTracker {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private record Deadline(String key, long modRevision, long atNanos) {}

  private static final Comparator<Deadline> EARLIEST_FIRST =
      Comparator.comparingLong(Deadline::atNanos).thenComparing(Deadline::key);

  private final LongSupplier nanoClock;
  private final Map<String, Deadline> byKey = new HashMap<>();
  private final TreeSet<Deadline> byTime = new TreeSet<>(EARLIEST_FIRST);

  public ExpiryTracker() {
    this(System::nanoTime);
  }

  /** With an injected monotonic clock (tests). */
  public ExpiryTracker(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** {@code key} was written at {@code modRevision} with a TTL of {@code ttlSeconds} (0: no TTL). */
  synchronized void set(String key, long modRevision, long ttlSeconds) {
    remove(key);
    if (ttlSeconds <= 0) return;
    Deadline d = new Deadline(key, modRevision, nanoClock.getAsLong() + ttlSeconds * NANOS_PER_SECOND);
    byKey.put(key, d);
    byTime.add(d);
  }

  /** {@code key} was deleted, expired or written without a TTL. */
  synchronized void remove(String key) {
    Deadline old = byKey.remove(key);
    if (old != null) byTime.remove(old);
  }

  /** The whole state was replaced (a snapshot restore): every TTL starts over from now, in full. */
  synchronized void reset(KvTree tree) {
    byKey.clear();
    byTime.clear();
    tree.forEach(e -> {
      if (e.hasTtl()) set(e.key(), e.modRevision(), e.ttlSeconds());
    });
  }

  /**
   * Up to {@code maxKeys} keys whose deadline passed, earliest first, stopping once their keys reach
   * {@code maxKeyChars} (at least one key is returned when one is due).
   */
  public synchronized List<KvCommand.Due> due(int maxKeys, long maxKeyChars) {
    long now = nanoClock.getAsLong();
    List<KvCommand.Due> due = new ArrayList<>();
    long chars = 0;
    for (Deadline d : byTime) {
      if (d.atNanos() - now > 0 || due.size() >= maxKeys || (!due.isEmpty() && chars + d.key().length() > maxKeyChars)) break;
      due.add(new KvCommand.Due(d.key(), d.modRevision()));
      chars += d.key().length();
    }
    return due;
  }

  /**
   * {@code entry} as a reader should see it: its TTL replaced by the whole seconds this node expects
   * to remain (rounded up, at least 1 while the key exists). Entries without a TTL are returned as is.
   */
  public synchronized KvEntry withRemaining(KvEntry entry) {
    if (!entry.hasTtl()) return entry;
    Deadline d = byKey.get(entry.key());
    if (d == null || d.modRevision() != entry.modRevision()) return entry; // not applied here yet: full TTL
    long leftNanos = d.atNanos() - nanoClock.getAsLong();
    long seconds = leftNanos <= 0 ? 1 : Math.max(1, (leftNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    return entry.withTtl(Math.min(seconds, entry.ttlSeconds()));
  }

  /** Keys with a TTL tracked here. */
  public synchronized int size() {
    return byKey.size();
  }
}
