package io.raftkv.storage;

import io.raftkv.raft.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deterministic test entries: the data names the index and term, so any mix-up is visible. */
final class LogFixtures {
  private LogFixtures() {}

  /** A small store for tests: 8 MiB JE cache, 1 MB JE files, 1 MiB entry cache. */
  static final StoreOptions SMALL = new StoreOptions(8L << 20, 1_000_000, 1L << 20, 50);

  static Entry entry(long index, long term) {
    return Entry.normal(term, index, ("entry-" + index + "-t" + term).getBytes(StandardCharsets.UTF_8));
  }

  static List<Entry> entries(long from, long toInclusive, long term) {
    List<Entry> out = new ArrayList<>();
    for (long i = from; i <= toInclusive; i++) out.add(entry(i, term));
    return out;
  }

  static Entry sized(long index, long term, int bytes) {
    byte[] data = new byte[bytes];
    for (int i = 0; i < bytes; i++) data[i] = (byte) (index * 31 + i);
    return Entry.normal(term, index, data);
  }
}
