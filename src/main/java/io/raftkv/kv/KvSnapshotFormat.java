package io.raftkv.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The state machine's snapshot stream, version 3 (still read: version 2, whose entries have no
 * ttlSeconds, and version 1, which also ends after the sessions):
 * <pre>
 *   magic(8)="RKVKV\0\0\1" version(1)=3 appliedIndex(8)
 *   memberCount(4) {id(8) address(4+n)}*            ascending id
 *   keyCount(8)    {key value createRev modRev version ttlSeconds(8)}*   ascending key (KvResultCodec
 *                  entry layout, then the TTL the last put granted: 0 for none; versions 1-2 lack it)
 *   sessionCount(4) {clientId(8) lastIndex(8) floor(8) n(4) {seq(8) result(4+n)}*}*   least recent first
 *   recordCount(4) {idempotencyKey(4+n) digest(8) index(8) result(4+n)}*   oldest first (versions 2-3)
 *   crc32c(4) of everything before it
 * </pre>
 * Deterministic: replicas with the same applied entries write identical bytes. A TTL travels as the
 * granted seconds, not as a deadline: deadlines are each node's own observation (ExpiryTracker), and
 * a node restoring a snapshot starts every TTL in it over in full (docs/ttl.md).
 */
final class KvSnapshotFormat {
  private static final long MAGIC = 0x524b564b56000001L;
  private static final byte VERSION = 3;
  private static final byte VERSION_WITHOUT_TTL = 2;
  private static final byte VERSION_WITHOUT_IDEMPOTENCY = 1;
  private static final int MAX_RESULT_BYTES = Wire.MAX_VALUE_BYTES + Wire.MAX_KEY_BYTES + 64;

  /** What a snapshot holds. */
  record Contents(long appliedIndex, Map<Long, String> members, KvTree tree, List<ClientSessions.Session> sessions,
      List<IdempotencyRecords.Record> idempotency) {}

  private KvSnapshotFormat() {}

  static void write(OutputStream target, Contents c) throws IOException {
    CRC32C crc = new CRC32C();
    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(target, 1 << 16), crc));
    out.writeLong(MAGIC);
    out.writeByte(VERSION);
    out.writeLong(c.appliedIndex());
    TreeMap<Long, String> members = new TreeMap<>(c.members());
    out.writeInt(members.size());
    for (Map.Entry<Long, String> m : members.entrySet()) {
      out.writeLong(m.getKey());
      Wire.writeString(out, m.getValue(), Wire.MAX_KEY_BYTES);
    }
    out.writeLong(c.tree().size());
    IOException[] failure = {null};
    c.tree().forEach(e -> {
      try {
        if (failure[0] == null) {
          Wire.writeEntry(out, e);
          out.writeLong(e.ttlSeconds());
        }
      } catch (IOException ex) {
        failure[0] = ex;
      }
    });
    if (failure[0] != null) throw failure[0];
    out.writeInt(c.sessions().size());
    for (ClientSessions.Session s : c.sessions()) writeSession(out, s);
    out.writeInt(c.idempotency().size());
    for (IdempotencyRecords.Record r : c.idempotency()) writeRecord(out, r);
    out.flush();
    out.writeInt((int) crc.getValue());
    out.flush();
  }

  /** Reads and verifies a whole snapshot; nothing is returned unless every check passed. */
  static Contents read(InputStream source) throws IOException {
    CRC32C crc = new CRC32C();
    DataInputStream in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(source, 1 << 16), crc));
    try {
      if (in.readLong() != MAGIC) throw new IllegalArgumentException("not a kv snapshot (bad magic)");
      byte version = in.readByte();
      if (version < VERSION_WITHOUT_IDEMPOTENCY || version > VERSION) {
        throw new IllegalArgumentException("unsupported kv snapshot version " + version);
      }
      long appliedIndex = in.readLong();
      Map<Long, String> members = readMembers(in);
      KvTree tree = readTree(in, version == VERSION);
      List<ClientSessions.Session> sessions = readSessions(in);
      List<IdempotencyRecords.Record> idempotency = version == VERSION_WITHOUT_IDEMPOTENCY ? List.of() : readRecords(in);
      int expected = (int) crc.getValue();
      if (in.readInt() != expected) throw new IllegalArgumentException("CRC32C mismatch");
      if (in.read() != -1) throw new IllegalArgumentException("trailing bytes after the checksum");
      return new Contents(appliedIndex, members, tree, sessions, idempotency);
    } catch (EOFException e) {
      throw new IOException("invalid kv snapshot: truncated", e);
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid kv snapshot: " + e.getMessage(), e);
    }
  }

  private static void writeSession(DataOutputStream out, ClientSessions.Session s) throws IOException {
    out.writeLong(s.clientId());
    out.writeLong(s.lastIndex());
    out.writeLong(s.floor());
    out.writeInt(s.seqs().length);
    for (int i = 0; i < s.seqs().length; i++) {
      out.writeLong(s.seqs()[i]);
      out.writeInt(s.results()[i].length);
      out.write(s.results()[i]);
    }
  }

  private static void writeRecord(DataOutputStream out, IdempotencyRecords.Record r) throws IOException {
    Wire.writeString(out, r.key(), KvCommandCodec.MAX_IDEMPOTENCY_KEY_BYTES);
    out.writeLong(r.digest());
    out.writeLong(r.index());
    out.writeInt(r.result().length);
    out.write(r.result());
  }

  private static List<IdempotencyRecords.Record> readRecords(DataInputStream in) throws IOException {
    int n = count(in.readInt(), Integer.MAX_VALUE, "idempotency record count");
    List<IdempotencyRecords.Record> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = readString(in, KvCommandCodec.MAX_IDEMPOTENCY_KEY_BYTES, "idempotency key");
      long digest = in.readLong();
      long index = in.readLong();
      byte[] result = new byte[count(in.readInt(), MAX_RESULT_BYTES, "result length")];
      in.readFully(result);
      records.add(new IdempotencyRecords.Record(key, digest, index, result));
    }
    return records;
  }

  private static Map<Long, String> readMembers(DataInputStream in) throws IOException {
    int n = count(in.readInt(), 1 << 16, "member count");
    TreeMap<Long, String> members = new TreeMap<>();
    for (int i = 0; i < n; i++) members.put(in.readLong(), readString(in, Wire.MAX_KEY_BYTES, "member address"));
    return Collections.unmodifiableMap(members);
  }

  private static KvTree readTree(DataInputStream in, boolean withTtl) throws IOException {
    long n = in.readLong();
    if (n < 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException("implausible key count " + n);
    List<KvEntry> sorted = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      String key = readString(in, Wire.MAX_KEY_BYTES, "key");
      String value = readString(in, Wire.MAX_VALUE_BYTES, "value");
      KvEntry entry = new KvEntry(key, value, in.readLong(), in.readLong(), in.readLong());
      sorted.add(withTtl ? entry.withTtl(ttl(in.readLong())) : entry);
    }
    return KvTree.fromSorted(sorted);
  }

  private static List<ClientSessions.Session> readSessions(DataInputStream in) throws IOException {
    int n = count(in.readInt(), Integer.MAX_VALUE, "session count");
    List<ClientSessions.Session> sessions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long clientId = in.readLong();
      long lastIndex = in.readLong();
      long floor = in.readLong();
      int k = count(in.readInt(), 1 << 20, "session size");
      long[] seqs = new long[k];
      byte[][] results = new byte[k][];
      for (int j = 0; j < k; j++) {
        seqs[j] = in.readLong();
        results[j] = new byte[count(in.readInt(), MAX_RESULT_BYTES, "result length")];
        in.readFully(results[j]);
      }
      sessions.add(ClientSessions.Session.of(clientId, lastIndex, floor, seqs, results));
    }
    return sessions;
  }

  private static long ttl(long seconds) {
    if (seconds < 0 || seconds > KvCommand.Put.MAX_TTL_SECONDS) throw new IllegalArgumentException("implausible ttl " + seconds);
    return seconds;
  }

  private static String readString(DataInputStream in, int max, String what) throws IOException {
    byte[] utf8 = new byte[count(in.readInt(), max, what + " length")];
    in.readFully(utf8);
    return Wire.decodeUtf8(utf8, what);
  }

  private static int count(int n, int max, String what) {
    if (n < 0 || n > max) throw new IllegalArgumentException("implausible " + what + " " + n);
    return n;
  }
}
