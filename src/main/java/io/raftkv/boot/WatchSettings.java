package io.raftkv.boot;

import io.raftkv.kv.watch.WatchHub;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The watch hub's limits from {@code raftkv.watch.*} (MicroProfile Config, system properties or env
 * {@code RAFTKV_WATCH_*}); defaults and meaning in docs/api.md, section "Watch". Public: the early
 * agent's copy (JVM class loader) is called from NodeLifecycle in the WAR (the web app's loader), and
 * package access does not cross class loaders (IllegalAccessError in RollingReplacementIT's late start).
 */
public final class WatchSettings {
  static final String HISTORY_EVENTS = "raftkv.watch.history.events";
  static final String HISTORY_BYTES = "raftkv.watch.history.bytes";
  static final String QUEUE_EVENTS = "raftkv.watch.queue.events";
  static final String MAX_WATCHERS = "raftkv.watch.max.watchers";

  /**
   * Per-watcher queues are preallocated arrays of references (the events themselves are shared with the
   * history), so 1,000 watchers x 1,000 slots cost about 4 MB.
   */
  public static final WatchHub.Limits DEFAULTS = new WatchHub.Limits(10_000, 64L << 20, 1_000, 1_000);

  private WatchSettings() {}

  /** Reads and validates every key; all problems are reported together. */
  public static WatchHub.Limits fromLookup(Function<String, Optional<String>> lookup) {
    List<String> errors = new ArrayList<>();
    int events = (int) positive(lookup, HISTORY_EVENTS, DEFAULTS.historyEvents(), Integer.MAX_VALUE, errors);
    long bytes = positive(lookup, HISTORY_BYTES, DEFAULTS.historyBytes(), Long.MAX_VALUE, errors);
    int queue = (int) positive(lookup, QUEUE_EVENTS, DEFAULTS.queueEvents(), 1_000_000, errors);
    int watchers = (int) positive(lookup, MAX_WATCHERS, DEFAULTS.maxWatchers(), 1_000_000, errors);
    if (!errors.isEmpty()) throw new IllegalArgumentException("invalid configuration: " + String.join("; ", errors));
    return new WatchHub.Limits(events, bytes, queue, watchers);
  }

  private static long positive(Function<String, Optional<String>> lookup, String key, long fallback, long max,
      List<String> errors) {
    Optional<String> raw = lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    if (raw.isEmpty()) return fallback;
    try {
      long n = Long.parseLong(raw.get());
      if (n >= 1 && n <= max) return n;
      errors.add(key + " must be in 1.." + max + " but is " + n);
    } catch (NumberFormatException e) {
      errors.add(key + " must be a whole number but is '" + raw.get() + "'");
    }
    return fallback;
  }
}
