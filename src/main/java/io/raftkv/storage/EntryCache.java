package io.raftkv.storage;

import io.raftkv.raft.Entry;
import java.util.List;

/**
 * The most recent entries of the log, contiguous and ending at the last index, bounded by bytes. The
 * leader's hot path (sending fresh entries to followers) reads from here instead of JE. A ring buffer;
 * not thread-safe, the owner synchronizes.
 */
final class EntryCache {
  private final long maxBytes;
  private Entry[] ring = new Entry[64];
  private int head;
  private int size;
  private long bytes;

  EntryCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Cached entry at {@code index}, or null when it is not cached. */
  Entry get(long index) {
    if (size == 0) return null;
    long first = ring[head].index();
    if (index < first || index >= first + size) return null;
    return ring[(head + (int) (index - first)) % ring.length];
  }

  /** Index of the oldest cached entry, or {@link Long#MAX_VALUE} when the cache is empty. */
  long firstIndex() {
    return size == 0 ? Long.MAX_VALUE : ring[head].index();
  }

  /** Appends entries that directly follow the cached ones (any conflicting suffix was truncated first). */
  void append(List<Entry> entries) {
    for (Entry e : entries) {
      if (size > 0 && e.index() != ring[(head + size - 1) % ring.length].index() + 1) clear();
      if (size == ring.length) grow();
      ring[(head + size) % ring.length] = e;
      size++;
      bytes += e.sizeBytes();
    }
    while (bytes > maxBytes && size > 0) removeFirst();
  }

  void truncateFrom(long index) {
    while (size > 0 && ring[(head + size - 1) % ring.length].index() >= index) {
      int slot = (head + size - 1) % ring.length;
      bytes -= ring[slot].sizeBytes();
      ring[slot] = null;
      size--;
    }
  }

  void dropBelow(long index) {
    while (size > 0 && ring[head].index() < index) removeFirst();
  }

  void clear() {
    while (size > 0) removeFirst();
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  private void removeFirst() {
    bytes -= ring[head].sizeBytes();
    ring[head] = null;
    head = (head + 1) % ring.length;
    size--;
  }

  private void grow() {
    Entry[] bigger = new Entry[ring.length * 2];
    for (int i = 0; i < size; i++) bigger[i] = ring[(head + i) % ring.length];
    ring = bigger;
    head = 0;
  }
}
