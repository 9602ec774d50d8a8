package io.raftkv.storage;

import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.MetaCodec.LogStart;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/** Reads and writes the named records of the {@code meta} database (encodings in {@link MetaCodec}). */
final class MetaRecords {
  private final JeEnvironment je;

  MetaRecords(JeEnvironment je) {
    this.je = je;
  }

  /** The decoded record, or null if absent; a record that fails its checks is corruption. */
  <T> T read(String name, Function<byte[], T> decoder) {
    DatabaseEntry value = new DatabaseEntry();
    if (je.meta.get(null, key(name), value, null) != OperationStatus.SUCCESS) return null;
    try {
      return decoder.apply(value.getData());
    } catch (IllegalArgumentException e) {
      throw new CorruptLogException(je.home, "meta record '" + name + "'", e.getMessage(), e);
    }
  }

  /** The meta records a store opens with; absent ones as in a new store. */
  record Stored(HardState hardState, SnapshotMeta snapshot, Map<Long, String> members, LogStart logStart) {}

  Stored readAll() {
    HardState hs = read(MetaCodec.HARD_STATE, MetaCodec::decodeHardState);
    SnapshotMeta snap = read(MetaCodec.SNAPSHOT, MetaCodec::decodeSnapshot);
    Map<Long, String> book = read(MetaCodec.MEMBERS, MetaCodec::decodeMembers);
    LogStart start = read(MetaCodec.LOG_START, MetaCodec::decodeLogStart);
    return new Stored(hs == null ? HardState.EMPTY : hs, snap == null ? SnapshotMeta.EMPTY : snap,
        book == null ? Map.of() : book, start == null ? LogStart.EMPTY : start);
  }

  void put(Transaction txn, String name, byte[] value) {
    je.meta.put(txn, key(name), new DatabaseEntry(value));
  }

  private static DatabaseEntry key(String name) {
    return new DatabaseEntry(name.getBytes(StandardCharsets.UTF_8));
  }
}
