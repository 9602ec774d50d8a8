package io.raftkv.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tiny replicated state machine of the simulator: a sorted map of string keys to string values.
 * Log entries carry {@link Command}s (client id, operation id and the {@link KvOp}); the operation id
 * lets a node recognise that an applied entry is the one a waiting client proposed.
 */
final class KvModel {

  /** A write as it travels in a log entry. */
  record Command(long clientId, long opId, KvOp op) {

    byte[] encode() {
      byte[] k = utf8(op.key());
      byte[] v = utf8(op.value());
      byte[] x = utf8(op.expected());
      ByteBuffer buf = ByteBuffer.allocate(8 + 8 + 1 + 12 + len(k) + len(v) + len(x));
      buf.putLong(clientId).putLong(opId).put((byte) op.kind().ordinal());
      putBytes(buf, k);
      putBytes(buf, v);
      putBytes(buf, x);
      return buf.array();
    }

    static Command decode(byte[] data) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      long client = buf.getLong();
      long opId = buf.getLong();
      KvOp.Kind kind = KvOp.Kind.values()[buf.get()];
      String key = getString(buf);
      String value = getString(buf);
      String expected = getString(buf);
      return new Command(client, opId, new KvOp(kind, key, value, expected));
    }
  }

  private final TreeMap<String, String> data = new TreeMap<>();

  /** Applies a normal entry's payload and returns what the client sees. */
  KvOp.Result apply(Command command) {
    KvOp op = command.op();
    KvOp.Outcome out = op.applyTo(data.get(op.key()));
    if (out.next() == null) {
      data.remove(op.key());
    } else {
      data.put(op.key(), out.next());
    }
    return out.result();
  }

  /** A local (non-replicated) read of the current state. */
  String get(String key) {
    return data.get(key);
  }

  Map<String, String> contents() {
    return Map.copyOf(data);
  }

  byte[] snapshot() {
    int size = 4;
    for (Map.Entry<String, String> e : data.entrySet()) {
      size += 8 + utf8(e.getKey()).length + utf8(e.getValue()).length;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.putInt(data.size());
    for (Map.Entry<String, String> e : data.entrySet()) {
      putBytes(buf, utf8(e.getKey()));
      putBytes(buf, utf8(e.getValue()));
    }
    return buf.array();
  }

  void restore(byte[] snapshot) {
    data.clear();
    if (snapshot.length == 0) return;
    ByteBuffer buf = ByteBuffer.wrap(snapshot);
    int n = buf.getInt();
    for (int i = 0; i < n; i++) {
      data.put(getString(buf), getString(buf));
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static int len(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void putBytes(ByteBuffer buf, byte[] b) {
    if (b == null) {
      buf.putInt(-1);
    } else {
      buf.putInt(b.length).put(b);
    }
  }

  private static String getString(ByteBuffer buf) {
    int n = buf.getInt();
    if (n < 0) return null;
    byte[] b = new byte[n];
    buf.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
