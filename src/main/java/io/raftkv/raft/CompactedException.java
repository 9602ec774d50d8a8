package io.raftkv.raft;

/** The requested index was compacted into a snapshot; the leader must send the snapshot instead. */
public final class CompactedException extends RuntimeException {
  public CompactedException(long index, long firstIndex) {
    super("index " + index + " is compacted (first index " + firstIndex + ")", null, false, false);
  }
}
