package io.raftkv.storage;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.SnapshotMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * The end of a snapshot file: {@code fields crc32c(4) trailerLength(4) magic(8)} where fields are
 * {@code payloadLength(8) index(8) term(8) voterCount(4) voters(8 each) learnerCount(4) learners(8 each)}
 * and the CRC covers the payload followed by the fields. Reading from the end lets the payload be
 * written first, streamed, without knowing its size.
 */
record SnapshotTrailer(SnapshotMeta meta, long payloadBytes, byte[] fields, int storedCrc) {
  private static final long MAGIC = 0x524b56534e415031L; // "RKVSNAP1"
  private static final int TAIL = 16;
  private static final int MIN_FIELDS = 8 + 8 + 8 + 4 + 4;
  private static final int MAX_MEMBERS = 1 << 16;

  /** Builds the trailer bytes; {@code crc} has already seen the payload. */
  static ByteBuffer encode(SnapshotMeta meta, long payloadBytes, CRC32C crc) {
    Set<Long> voters = new TreeSet<>(meta.conf().voters());
    Set<Long> learners = new TreeSet<>(meta.conf().learners());
    ByteBuffer fields = ByteBuffer.allocate(MIN_FIELDS + 8 * (voters.size() + learners.size()));
    fields.putLong(payloadBytes).putLong(meta.index()).putLong(meta.term());
    fields.putInt(voters.size());
    voters.forEach(fields::putLong);
    fields.putInt(learners.size());
    learners.forEach(fields::putLong);
    crc.update(fields.array());
    ByteBuffer out = ByteBuffer.allocate(fields.capacity() + TAIL);
    out.put(fields.array()).putInt((int) crc.getValue()).putInt(out.capacity()).putLong(MAGIC);
    return out.flip();
  }

  /** Reads the trailer at the end of {@code ch}; structural defects go through {@code corrupt}. */
  static SnapshotTrailer read(FileChannel ch, Function<String, CorruptLogException> corrupt) throws IOException {
    long size = ch.size();
    if (size < TAIL + MIN_FIELDS) throw corrupt.apply("file too short for a trailer (" + size + " bytes)");
    ByteBuffer tail = readAt(ch, size - TAIL, TAIL);
    int storedCrc = tail.getInt();
    int trailerLength = tail.getInt();
    if (tail.getLong() != MAGIC) throw corrupt.apply("no snapshot trailer (bad magic)");
    if (trailerLength < TAIL + MIN_FIELDS || trailerLength > size || trailerLength > TAIL + MIN_FIELDS + 16 * MAX_MEMBERS) {
      throw corrupt.apply("implausible trailer length " + trailerLength);
    }
    ByteBuffer fields = readAt(ch, size - trailerLength, trailerLength - TAIL);
    try {
      long payloadBytes = fields.getLong();
      long index = fields.getLong();
      long term = fields.getLong();
      Set<Long> voters = readIds(fields);
      Set<Long> learners = readIds(fields);
      if (payloadBytes != size - trailerLength || fields.hasRemaining()) {
        throw new IllegalArgumentException("payload length " + payloadBytes + " disagrees with file size " + size);
      }
      SnapshotMeta meta = new SnapshotMeta(index, term, new ConfState(voters, learners));
      return new SnapshotTrailer(meta, payloadBytes, fields.array(), storedCrc);
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw corrupt.apply("bad trailer: " + e.getMessage());
    }
  }

  /** True when {@code crc}, having seen the payload, matches after also seeing the trailer fields. */
  boolean matches(CRC32C crc) {
    crc.update(fields);
    return (int) crc.getValue() == storedCrc;
  }

  private static Set<Long> readIds(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > MAX_MEMBERS) throw new IllegalArgumentException("implausible member count " + n);
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < n; i++) ids.add(in.getLong());
    return ids;
  }

  private static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(len);
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) throw new IOException("unexpected end of file");
    }
    return buf.flip();
  }
}
