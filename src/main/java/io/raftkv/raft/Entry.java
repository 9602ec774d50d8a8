package io.raftkv.raft;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Raft log entry. {@code data} is opaque to the core except for {@link EntryType#CONF_CHANGE}
 * entries, whose data is an encoded {@link ConfChange} (see {@link ConfChange#encode()}).
 * A leader's no-op at the start of its term is a {@link EntryType#NORMAL} entry with empty data.
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

  /** Fixed per-entry overhead counted by size limits (term, index, type, length). */
  public static final int OVERHEAD_BYTES = 24;

  public Entry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    if (term < 0 || index < 0) {
      throw new IllegalArgumentException("negative term/index: " + term + "/" + index);
    }
  }

  public static Entry normal(long term, long index, byte[] data) {
    return new Entry(term, index, EntryType.NORMAL, data);
  }

  /** Size counted against message, batch and uncommitted-log limits. */
  public long sizeBytes() {
    return OVERHEAD_BYTES + data.length;
  }

  public boolean isEmptyNormal() {
    return type == EntryType.NORMAL && data.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e && e.term == term && e.index == index && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(term, index, type, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return index + "/" + term + (type == EntryType.NORMAL ? "" : " " + type) + " (" + data.length + "B)";
  }
}
