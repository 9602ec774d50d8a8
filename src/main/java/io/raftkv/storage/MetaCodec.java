package io.raftkv.storage;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Encodings of the small records in the {@code meta} database. Each value is
 * {@code format(1) payload crc32c(4)}; the CRC covers the record's name and the bytes before it.
 */
final class MetaCodec {
  static final String HARD_STATE = "hardstate";
  static final String SNAPSHOT = "snapshot";
  /** The index just below the first stored entry and its term (etcd's "dummy entry"). */
  static final String LOG_START = "logstart";
  static final String MEMBERS = "members";

  private static final byte FORMAT = 1;
  private static final int MAX_SET = 1 << 16;

  /** Index and term of the entry at {@code firstIndex - 1}, whose record may already be deleted. */
  record LogStart(long index, long term) {
    static final LogStart EMPTY = new LogStart(0, 0);
  }

  @FunctionalInterface
  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  private interface Parser<T> {
    T read(DataInputStream in) throws IOException;
  }

  private MetaCodec() {}

  static byte[] encodeHardState(HardState hs) {
    return seal(HARD_STATE, out -> {
      out.writeLong(hs.term());
      out.writeLong(hs.vote());
      out.writeLong(hs.commit());
    });
  }

  static HardState decodeHardState(byte[] value) {
    return open(HARD_STATE, value, in -> new HardState(in.readLong(), in.readLong(), in.readLong()));
  }

  static byte[] encodeSnapshot(SnapshotMeta meta) {
    return seal(SNAPSHOT, out -> {
      out.writeLong(meta.index());
      out.writeLong(meta.term());
      writeIds(out, meta.conf().voters());
      writeIds(out, meta.conf().learners());
    });
  }

  static SnapshotMeta decodeSnapshot(byte[] value) {
    return open(SNAPSHOT, value, in -> {
      long index = in.readLong();
      long term = in.readLong();
      Set<Long> voters = readIds(in);
      return new SnapshotMeta(index, term, new ConfState(voters, readIds(in)));
    });
  }

  static byte[] encodeLogStart(LogStart start) {
    return seal(LOG_START, out -> {
      out.writeLong(start.index());
      out.writeLong(start.term());
    });
  }

  static LogStart decodeLogStart(byte[] value) {
    return open(LOG_START, value, in -> new LogStart(in.readLong(), in.readLong()));
  }

  static byte[] encodeMembers(Map<Long, String> members) {
    return seal(MEMBERS, out -> {
      TreeMap<Long, String> sorted = new TreeMap<>(members);
      out.writeInt(sorted.size());
      for (Map.Entry<Long, String> m : sorted.entrySet()) {
        out.writeLong(m.getKey());
        out.writeUTF(m.getValue());
      }
    });
  }

  static Map<Long, String> decodeMembers(byte[] value) {
    return open(MEMBERS, value, in -> {
      int n = boundedCount(in.readInt());
      TreeMap<Long, String> members = new TreeMap<>();
      for (int i = 0; i < n; i++) members.put(in.readLong(), in.readUTF());
      return Collections.unmodifiableMap(members);
    });
  }

  private static void writeIds(DataOutputStream out, Set<Long> ids) throws IOException {
    out.writeInt(ids.size());
    for (long id : new TreeSet<>(ids)) out.writeLong(id);
  }

  private static Set<Long> readIds(DataInputStream in) throws IOException {
    int n = boundedCount(in.readInt());
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < n; i++) ids.add(in.readLong());
    return ids;
  }

  private static int boundedCount(int n) {
    if (n < 0 || n > MAX_SET) throw new IllegalArgumentException("implausible count " + n);
    return n;
  }

  private static byte[] seal(String name, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      body.write(out);
      out.writeInt(0); // CRC placeholder, patched below
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] sealed = bytes.toByteArray();
    BigEndian.putInt(sealed, sealed.length - 4, crc(name, sealed, sealed.length - 4));
    return sealed;
  }

  /** Verifies and parses a sealed record; any defect is an {@link IllegalArgumentException}. */
  private static <T> T open(String name, byte[] value, Parser<T> parser) {
    if (value.length < 5) throw new IllegalArgumentException(name + " record too short");
    int stored = BigEndian.getInt(value, value.length - 4);
    if (stored != crc(name, value, value.length - 4)) {
      throw new IllegalArgumentException(name + " record fails its CRC32C check");
    }
    if (value[0] != FORMAT) throw new IllegalArgumentException(name + " record has unknown format " + value[0]);
    ByteArrayInputStream bytes = new ByteArrayInputStream(Arrays.copyOfRange(value, 1, value.length - 4));
    try (DataInputStream in = new DataInputStream(bytes)) {
      T parsed = parser.read(in);
      if (bytes.available() != 0) throw new IllegalArgumentException(name + " record has trailing bytes");
      return parsed;
    } catch (IOException e) {
      throw new IllegalArgumentException(name + " record is truncated", e);
    }
  }

  private static int crc(String name, byte[] value, int len) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    crc.update(value, 0, len);
    return (int) crc.getValue();
  }
}
