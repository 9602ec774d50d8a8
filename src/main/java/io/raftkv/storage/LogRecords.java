package io.raftkv.storage;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.Get;
import com.sleepycat.je.OperationResult;
import com.sleepycat.je.Transaction;
import io.raftkv.raft.Entry;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Reads and range-deletes the records of one log segment's database, turning every integrity problem
 * into a {@link CorruptLogException} that names the environment directory and the index. Which database
 * holds which index is {@link LogSegments}' business.
 */
final class LogRecords {
  /** Returned by {@link #scan} when the sink asked to stop. */
  static final long STOPPED = -1;

  private final Path home;

  LogRecords(Path home) {
    this.home = home;
  }

  /**
   * Feeds {@code sink} the entries of {@code db} from index {@code from} on, in order, while they are
   * contiguous and below {@code to}. A record at or above {@code segmentEnd} does not belong to this
   * segment and a skipped index is a gap: both are corruption.
   *
   * @return the next index expected (the first not fed), or {@link #STOPPED} if the sink returned false
   */
  long scan(Database db, long from, long to, long segmentEnd, Predicate<Entry> sink) {
    DatabaseEntry key = new DatabaseEntry(EntryCodec.key(from));
    DatabaseEntry value = new DatabaseEntry();
    long expected = from;
    try (Cursor cursor = db.openCursor(null, null)) {
      OperationResult found = cursor.get(key, value, Get.SEARCH_GTE, null);
      while (found != null && expected < to) {
        long index = decodeKey(key.getData(), expected);
        if (index >= segmentEnd) {
          throw CorruptLogException.atIndex(home, index, "record stored in the segment "
              + db.getDatabaseName() + " that ends before it, at " + segmentEnd, null);
        }
        if (index >= to) return expected;
        if (index != expected) throw missing(expected, "next stored index is " + index);
        if (!sink.test(decode(index, value.getData()))) return STOPPED;
        expected++;
        found = cursor.get(key, value, Get.NEXT, null);
      }
      return expected;
    } catch (EnvironmentFailureException e) {
      throw CorruptLogException.atIndex(home, expected, "JE environment failure: " + e.getMessage(), e);
    }
  }

  CorruptLogException missing(long index, String detail) {
    return CorruptLogException.atIndex(home, index, "entry missing (" + detail + ")", null);
  }

  /** Deletes the records of {@code db} with {@code from <= index < to} inside {@code txn}; returns how many. */
  long deleteRange(Transaction txn, Database db, long from, long to) {
    if (from >= to) return 0;
    DatabaseEntry key = new DatabaseEntry(EntryCodec.key(from));
    DatabaseEntry value = new DatabaseEntry();
    value.setPartial(0, 0, true);
    long deleted = 0;
    try (Cursor cursor = db.openCursor(txn, null)) {
      OperationResult found = cursor.get(key, value, Get.SEARCH_GTE, null);
      while (found != null && decodeKey(key.getData(), from) < to) {
        cursor.delete();
        deleted++;
        found = cursor.get(key, value, Get.NEXT, null);
      }
    }
    return deleted;
  }

  /** Number of records of {@code db} with an index at or above {@code from} (a cursor walk, no values read). */
  long countFrom(Database db, long from) {
    DatabaseEntry key = new DatabaseEntry(EntryCodec.key(from));
    DatabaseEntry value = new DatabaseEntry();
    value.setPartial(0, 0, true);
    long n = 0;
    try (Cursor cursor = db.openCursor(null, null)) {
      for (OperationResult r = cursor.get(key, value, Get.SEARCH_GTE, null); r != null;
          r = cursor.get(key, value, Get.NEXT, null)) {
        n++;
      }
    }
    return n;
  }

  Entry decode(long index, byte[] value) {
    try {
      return EntryCodec.decode(index, value);
    } catch (IllegalArgumentException e) {
      throw CorruptLogException.atIndex(home, index, e.getMessage(), e);
    }
  }

  private long decodeKey(byte[] key, long near) {
    try {
      return EntryCodec.index(key);
    } catch (IllegalArgumentException e) {
      throw CorruptLogException.atIndex(home, near, e.getMessage(), e);
    }
  }
}
