package io.raftkv.storage;

import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import java.util.Arrays;

/**
 * Binary layout of a record in a log segment database ({@link LogSegments}).
 *
 * <p>Key: the index as 8 bytes big-endian (so JE's byte order is log order). Value:
 * {@code format(1) term(8) type(1) data(n) crc32c(4)}, where the CRC covers the key's index and every
 * value byte before it — a record copied under the wrong key fails the check too.
 */
final class EntryCodec {
  static final byte FORMAT = 1;
  private static final int HEADER = 1 + 8 + 1;
  private static final int TRAILER = 4;
  private static final EntryType[] TYPES = EntryType.values();

  private EntryCodec() {}

  static byte[] key(long index) {
    byte[] key = new byte[8];
    BigEndian.putLong(key, 0, index);
    return key;
  }

  static long index(byte[] key) {
    if (key.length != 8) throw new IllegalArgumentException("log key has " + key.length + " bytes, want 8");
    return BigEndian.getLong(key, 0);
  }

  static byte[] encode(Entry e) {
    byte[] data = e.data();
    byte[] out = new byte[HEADER + data.length + TRAILER];
    out[0] = FORMAT;
    BigEndian.putLong(out, 1, e.term());
    out[9] = (byte) e.type().ordinal();
    System.arraycopy(data, 0, out, HEADER, data.length);
    BigEndian.putInt(out, out.length - TRAILER, crc(e.index(), out, out.length - TRAILER));
    return out;
  }

  /** Decodes and verifies a record; any defect is an {@link IllegalArgumentException} saying what. */
  static Entry decode(long index, byte[] value) {
    if (value.length < HEADER + TRAILER) {
      throw new IllegalArgumentException("record too short (" + value.length + " bytes)");
    }
    int stored = BigEndian.getInt(value, value.length - TRAILER);
    int actual = crc(index, value, value.length - TRAILER);
    if (stored != actual) {
      throw new IllegalArgumentException(String.format("CRC32C mismatch (stored %08x, computed %08x)", stored, actual));
    }
    if (value[0] != FORMAT) throw new IllegalArgumentException("unknown record format " + value[0]);
    long term = BigEndian.getLong(value, 1);
    int type = value[9];
    if (term < 0 || type < 0 || type >= TYPES.length) {
      throw new IllegalArgumentException("bad term " + term + " or type " + type);
    }
    return new Entry(term, index, TYPES[type], Arrays.copyOfRange(value, HEADER, value.length - TRAILER));
  }

  private static int crc(long index, byte[] value, int len) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(key(index));
    crc.update(value, 0, len);
    return (int) crc.getValue();
  }
}
