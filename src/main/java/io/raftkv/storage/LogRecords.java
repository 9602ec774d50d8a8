package io.raftkv.storage;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.Get;
import com.sleepycat.je.OperationResult;
import com.sleepycat.je.Transaction;
import io.raftkv.raft.Entry;
import java.util.function.Predicate;

/**
 * Reads and range-deletes records of the {@code log} database, turning every integrity problem into a
 * {@link CorruptLogException} that names the environment directory and the index.
 */
final class LogRecords {
  private final JeEnvironment je;

  LogRecords(JeEnvironment je) {
    this.je = je;
  }

  /**
   * Feeds {@code sink} the decoded entries in {@code [from, to)} in index order until it returns false
   * or the records run out. Indexes must be contiguous: a gap is corruption.
   */
  void scan(long from, long to, Predicate<Entry> sink) {
    DatabaseEntry key = new DatabaseEntry(EntryCodec.key(from));
    DatabaseEntry value = new DatabaseEntry();
    long expected = from;
    try (Cursor cursor = je.log.openCursor(null, null)) {
      OperationResult found = cursor.get(key, value, Get.SEARCH_GTE, null);
      while (found != null && expected < to) {
        long index = decodeKey(key.getData(), expected);
        if (index != expected) throw missing(expected, "next stored index is " + index);
        if (!sink.test(decode(index, value.getData()))) return;
        expected++;
        found = cursor.get(key, value, Get.NEXT, null);
      }
      if (expected < to && to != Long.MAX_VALUE) throw missing(expected, "no later record");
    } catch (EnvironmentFailureException e) {
      throw CorruptLogException.atIndex(je.home, expected, "JE environment failure: " + e.getMessage(), e);
    }
  }

  private CorruptLogException missing(long index, String detail) {
    return CorruptLogException.atIndex(je.home, index, "entry missing (" + detail + ")", null);
  }

  /** Deletes up to {@code max} records with {@code from <= index < to} inside {@code txn}; returns how many. */
  long deleteRange(Transaction txn, long from, long to, long max) {
    if (from >= to) return 0;
    DatabaseEntry key = new DatabaseEntry(EntryCodec.key(from));
    DatabaseEntry value = new DatabaseEntry();
    value.setPartial(0, 0, true);
    long deleted = 0;
    try (Cursor cursor = je.log.openCursor(txn, null)) {
      OperationResult found = cursor.get(key, value, Get.SEARCH_GTE, null);
      while (found != null && deleted < max && decodeKey(key.getData(), from) < to) {
        cursor.delete();
        deleted++;
        found = cursor.get(key, value, Get.NEXT, null);
      }
    }
    return deleted;
  }

  Entry decode(long index, byte[] value) {
    try {
      return EntryCodec.decode(index, value);
    } catch (IllegalArgumentException e) {
      throw CorruptLogException.atIndex(je.home, index, e.getMessage(), e);
    }
  }

  private long decodeKey(byte[] key, long near) {
    try {
      return EntryCodec.index(key);
    } catch (IllegalArgumentException e) {
      throw CorruptLogException.atIndex(je.home, near, e.getMessage(), e);
    }
  }
}
