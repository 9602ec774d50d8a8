package io.raftkv.raft;

import java.util.Objects;

/**
 * Metadata of a state-machine snapshot: the last log index and term it covers and the membership as of
 * that index. The snapshot's bytes never pass through the core: the driver streams them beside the
 * {@link MessageType#SNAPSHOT} message that carries this metadata.
 */
public record SnapshotMeta(long index, long term, ConfState conf) {
  public static final SnapshotMeta EMPTY = new SnapshotMeta(0, 0, ConfState.EMPTY);

  public SnapshotMeta {
    Objects.requireNonNull(conf, "conf");
    if (index < 0 || term < 0) throw new IllegalArgumentException("negative snapshot index/term");
  }

  public boolean isEmpty() {
    return index == 0;
  }
}
