package io.raftkv.api.metrics;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Which members have per-peer gauges. Only a leader knows its followers' progress, and members come
 * and go, so the set is brought in line with the leader's current followers from time to time:
 * gauges of new followers added, those of members no longer followed (or of all, after this node lost
 * leadership) removed. Not thread-safe: one caller (the registrar's timer).
 */
final class PeerGauges {
  private final Set<Long> registered = new HashSet<>();
  private final LongConsumer register;
  private final LongConsumer unregister;

  PeerGauges(LongConsumer register, LongConsumer unregister) {
    this.register = register;
    this.unregister = unregister;
  }

  /** Registers gauges for members in {@code followed} that have none and removes those of the others. */
  void sync(Set<Long> followed) {
    for (long peer : followed) {
      if (registered.add(peer)) register.accept(peer);
    }
    var it = registered.iterator();
    while (it.hasNext()) {
      long peer = it.next();
      if (!followed.contains(peer)) {
        it.remove();
        unregister.accept(peer);
      }
    }
  }

  Set<Long> registered() {
    return Set.copyOf(registered);
  }
}
