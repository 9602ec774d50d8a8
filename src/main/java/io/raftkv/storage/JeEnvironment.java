package io.raftkv.storage;

import com.sleepycat.je.CacheMode;
import com.sleepycat.je.CheckpointConfig;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DiskLimitException;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.Transaction;
import com.sleepycat.je.TransactionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The JE environment of one node and its {@code meta} database; the log's databases (one per segment)
 * belong to {@link LogSegments}.
 */
final class JeEnvironment implements AutoCloseable {
  static final String META_DB = "meta";

  private static final TransactionConfig SYNC = new TransactionConfig().setDurability(Durability.COMMIT_SYNC);
  private static final TransactionConfig NO_SYNC = new TransactionConfig().setDurability(Durability.COMMIT_NO_SYNC);

  final Path home;
  final Environment env;
  final Database meta;

  private JeEnvironment(Path home, Environment env, Database meta) {
    this.home = home;
    this.env = env;
    this.meta = meta;
  }

  static JeEnvironment open(Path home, StoreOptions options) throws IOException {
    Files.createDirectories(home);
    EnvironmentConfig config = new EnvironmentConfig().setAllowCreate(true).setTransactional(true);
    config.setCacheSize(options.jeCacheBytes());
    config.setDurability(Durability.COMMIT_SYNC);
    config.setConfigParam(EnvironmentConfig.LOG_FILE_MAX, Long.toString(options.jeLogFileBytes()));
    config.setConfigParam(EnvironmentConfig.ENV_RUN_CLEANER, "true");
    config.setConfigParam(EnvironmentConfig.CLEANER_MIN_UTILIZATION,
            Integer.toString(options.cleanerMinUtilization()));
    // A checksum error in the recovery tail normally makes JE truncate the log there (it looks like a
    // torn write), silently dropping committed transactions after it: refuse to start instead.
    config.setConfigParam(EnvironmentConfig.HALT_ON_COMMIT_AFTER_CHECKSUMEXCEPTION, "true");
    // JE's default of 5 GB free refused every write on machines with less (docs/operations.md, "Disk space").
    config.setConfigParam(EnvironmentConfig.FREE_DISK, Long.toString(options.freeDiskBytes()));
    config.setConfigParam(EnvironmentConfig.MAX_DISK, Long.toString(options.maxDiskBytes()));
    Environment env;
    try {
      env = new Environment(home.toFile(), config);
    } catch (EnvironmentFailureException e) {
      throw new CorruptLogException(home, "JE log files", "recovery failed: " + e.getMessage(), e);
    }
    try {
      Database meta = env.openDatabase(null, META_DB, new DatabaseConfig().setAllowCreate(true).setTransactional(true));
      return new JeEnvironment(home, env, meta);
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  Transaction begin(boolean sync) {
    return env.beginTransaction(null, sync ? SYNC : NO_SYNC);
  }

  /** Opens the existing log database {@code name}. */
  Database openDatabase(String name) {
    return env.openDatabase(null, name, logConfig(false));
  }

  /**
   * Log databases drop a record's data from JE's cache after each operation ({@code EVICT_LN}): the
   * store's entry cache serves recent entries (docs/storage.md, "On-disk layout").
   */
  private static DatabaseConfig logConfig(boolean create) {
    return new DatabaseConfig().setAllowCreate(create).setTransactional(true).setCacheMode(CacheMode.EVICT_LN);
  }

  /**
   * Creates the log database {@code name} in its own no-sync transaction: a sync per creation made every
   * segment cost an fsync; without one, JE's log order still makes the creation durable no later than
   * the first commit that puts a record into it (a crash loses a suffix of the log, never a middle).
   */
  Database createDatabase(String name) {
    Transaction txn = begin(false);
    try {
      Database db = env.openDatabase(txn, name, logConfig(true));
      txn.commit();
      return db;
    } catch (RuntimeException | Error e) {
      txn.abort();
      throw e;
    }
  }

  /**
   * Runs {@code work} in a transaction and commits it ({@code COMMIT_SYNC} if {@code sync}, else
   * {@code COMMIT_NO_SYNC}); aborts it if anything fails. A write refused for JE's disk limits becomes a
   * {@link DiskLimitReachedException} (the environment stays valid: the caller may retry).
   */
  <T> T inTransaction(boolean sync, Function<Transaction, T> work) {
    Transaction txn;
    try {
      txn = begin(sync);
    } catch (DiskLimitException e) {
      throw new DiskLimitReachedException(home, e);
    }
    try {
      T result = work.apply(txn);
      txn.commit();
      return result;
    } catch (RuntimeException | Error e) {
      abortAfter(txn, e);
      if (e instanceof DiskLimitException limit) throw new DiskLimitReachedException(home, limit);
      if (e instanceof EnvironmentFailureException) {
        throw new IllegalStateException("JE environment in " + home + " failed: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private static void abortAfter(Transaction txn, Throwable cause) {
    try {
      txn.abort();
    } catch (RuntimeException abortFailure) {
      cause.addSuppressed(abortFailure);
    }
  }

  /** Runs the cleaner until it finds nothing (bounded), then a forced checkpoint; returns files cleaned. */
  int cleanAndCheckpoint() {
    int cleaned = 0;
    for (int round = 0; round < 100; round++) {
      int n = env.cleanLog();
      if (n == 0) break;
      cleaned += n;
    }
    env.checkpoint(new CheckpointConfig().setForce(true));
    return cleaned;
  }

  /** Closes the log databases first ({@link LogSegments#close}): JE refuses to close with open handles. */
  @Override
  public void close() {
    try {
      meta.close();
    } finally {
      env.close();
    }
  }
}
