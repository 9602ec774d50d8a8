package io.raftkv.storage;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.Transaction;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.MetaCodec.LogStart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a data directory in the layout before segments (one {@code log} database keyed by index, beside
 * {@code meta}), as the store of the eighth session did, so tests can open it with today's code.
 */
final class LegacyLayout {
  private LegacyLayout() {}

  /** Stores {@code entries} (leftovers below {@code start} included, as an interrupted trim left them). */
  static void write(Path dataDir, List<Entry> entries, HardState hs, SnapshotMeta snap, LogStart start)
      throws Exception {
    Path home = dataDir.resolve("je");
    Files.createDirectories(home);
    Environment env = new Environment(home.toFile(), new EnvironmentConfig().setAllowCreate(true).setTransactional(true));
    DatabaseConfig config = new DatabaseConfig().setAllowCreate(true).setTransactional(true);
    try (Database log = env.openDatabase(null, LogSegments.LEGACY_NAME, config);
        Database meta = env.openDatabase(null, JeEnvironment.META_DB, config)) {
      Transaction txn = env.beginTransaction(null, null);
      for (Entry e : entries) {
        log.put(txn, new DatabaseEntry(EntryCodec.key(e.index())), new DatabaseEntry(EntryCodec.encode(e)));
      }
      put(meta, txn, MetaCodec.HARD_STATE, MetaCodec.encodeHardState(hs));
      put(meta, txn, MetaCodec.SNAPSHOT, MetaCodec.encodeSnapshot(snap));
      put(meta, txn, MetaCodec.LOG_START, MetaCodec.encodeLogStart(start));
      txn.commit();
    } finally {
      env.close();
    }
  }

  private static void put(Database meta, Transaction txn, String name, byte[] value) {
    meta.put(txn, new DatabaseEntry(name.getBytes(StandardCharsets.UTF_8)), new DatabaseEntry(value));
  }

  /** The names of the environment's databases (opened read-only, after the store is closed). */
  static List<String> databaseNames(Path dataDir) {
    Environment env = new Environment(dataDir.resolve("je").toFile(),
        new EnvironmentConfig().setTransactional(true).setReadOnly(true));
    try {
      return env.getDatabaseNames();
    } finally {
      env.close();
    }
  }
}
