package io.raftkv.raft;

import java.util.List;

/**
 * Read-only view of the durable Raft state, implemented by the driver's storage (BDB JE in production,
 * {@link MemoryStorage} in tests). The core never writes through it: the driver persists what a
 * {@link Ready} says and the core then reads it back here. Indexes are 1-based; index 0 is the empty
 * log's sentinel with term 0.
 */
public interface LogView {

  /** The persisted hard state ({@link HardState#EMPTY} for a new node). */
  HardState hardState();

  /** Metadata of the latest snapshot ({@link SnapshotMeta#EMPTY} if none). Its conf is the membership at that index. */
  SnapshotMeta snapshot();

  /**
   * First index still in the log: snapshot index + 1, or lower when the driver keeps a tail of entries
   * below its snapshot for slow followers. May be lastIndex + 1 when the log is empty.
   */
  long firstIndex();

  /** Last index in the log (= snapshot index when the log is empty). */
  long lastIndex();

  /**
   * Term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()} and for
   * {@code snapshot().index()}.
   *
   * @throws CompactedException if index is below both firstIndex() - 1 and the snapshot index
   * @throws IllegalArgumentException if index is beyond lastIndex
   */
  long term(long index);

  /**
   * Entries in [lo, hi), at least one if lo &lt; hi, then more until {@code maxBytes} (summed
   * {@link Entry#sizeBytes()}) would be exceeded.
   *
   * @throws CompactedException if lo &lt; firstIndex()
   */
  List<Entry> entries(long lo, long hi, long maxBytes);
}
