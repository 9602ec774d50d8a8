package io.raftkv.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounded binary encoding shared by the kv codecs: big-endian numbers and length-prefixed strict UTF-8
 * strings. Decoding never trusts a length: every read is checked against the bytes left and a hard cap,
 * and any defect is an {@link IllegalArgumentException}.
 */
final class Wire {
  /** Hard caps of the wire format (the HTTP boundary enforces smaller, configurable limits). */
  static final int MAX_KEY_BYTES = io.raftkv.node.NodeConfig.MAX_KEY_BYTES;
  static final int MAX_VALUE_BYTES = io.raftkv.node.NodeConfig.MAX_VALUE_BYTES;

  private Wire() {}

  /** A growable output; {@link #bytes()} when done. */
  static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    final DataOutputStream out = new DataOutputStream(bytes);

    Writer writeByte(int b) {
      return run(() -> out.writeByte(b));
    }

    Writer writeLong(long v) {
      return run(() -> out.writeLong(v));
    }

    Writer writeInt(int v) {
      return run(() -> out.writeInt(v));
    }

    Writer writeString(String s, int max) {
      return run(() -> Wire.writeString(out, s, max));
    }

    Writer writeEntry(KvEntry e) {
      return run(() -> Wire.writeEntry(out, e));
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }

    private interface IoAction {
      void run() throws IOException;
    }

    private Writer run(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e); // cannot happen on a byte array
      }
      return this;
    }
  }

  /** Reads from a byte array; every method throws {@link IllegalArgumentException} on bad input. */
  static final class Reader {
    private final ByteBuffer in;

    Reader(byte[] bytes) {
      this.in = ByteBuffer.wrap(bytes);
    }

    byte readByte() {
      return guard(() -> in.get());
    }

    long readLong() {
      return guard(() -> in.getLong());
    }

    /** A count in [0, max]; anything else (or more than the bytes left could hold) is rejected. */
    int readCount(int max, String what) {
      int n = guard(() -> in.getInt());
      if (n < 0 || n > max || n > in.remaining()) throw new IllegalArgumentException(what + " " + n + " out of bounds (max " + max + ")");
      return n;
    }

    /** A boolean stored as exactly 0 or 1. */
    boolean readFlag(String what) {
      byte b = readByte();
      if (b != 0 && b != 1) throw new IllegalArgumentException("bad " + what + " flag " + b);
      return b == 1;
    }

    String readString(int max, String what) {
      int len = guard(() -> in.getInt());
      if (len < 0 || len > max || len > in.remaining()) {
        throw new IllegalArgumentException(what + " length " + len + " out of bounds (max " + max + ", "
            + in.remaining() + " bytes left)");
      }
      byte[] utf8 = new byte[len];
      in.get(utf8);
      return decodeUtf8(utf8, what);
    }

    KvEntry readEntry() {
      String key = readString(MAX_KEY_BYTES, "key");
      String value = readString(MAX_VALUE_BYTES, "value");
      return new KvEntry(key, value, readLong(), readLong(), readLong());
    }

    void requireEnd() {
      if (in.hasRemaining()) throw new IllegalArgumentException(in.remaining() + " trailing bytes");
    }

    private interface Read<T> {
      T get();
    }

    private static <T> T guard(Read<T> read) {
      try {
        return read.get();
      } catch (BufferUnderflowException e) {
        throw new IllegalArgumentException("truncated input", e);
      }
    }
  }

  static void writeString(DataOutputStream out, String s, int max) throws IOException {
    byte[] utf8 = encodeUtf8(s);
    if (utf8.length > max) throw new IllegalArgumentException("string of " + utf8.length + " bytes exceeds " + max);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  static void writeEntry(DataOutputStream out, KvEntry e) throws IOException {
    writeString(out, e.key(), MAX_KEY_BYTES);
    writeString(out, e.value(), MAX_VALUE_BYTES);
    out.writeLong(e.createRevision());
    out.writeLong(e.modRevision());
    out.writeLong(e.version());
  }

  /**
   * Strict UTF-8: unpaired surrogates are rejected rather than silently replaced. A string without any
   * surrogate has nothing the JDK's own encoder could replace, so it takes that (intrinsified) path; the
   * checked encoder runs only for the rest (docs/benchmarks.md, twelfth session: the checked encoder
   * on every string was ~2% of a leader's CPU under PUT load).
   */
  static byte[] encodeUtf8(String s) {
    if (!hasSurrogate(s)) return s.getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buf = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(s));
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("string is not valid Unicode (unpaired surrogate)", e);
    }
  }

  /** Strict UTF-8 decoding: malformed input is an error. ASCII, which cannot be malformed, skips the check. */
  static String decodeUtf8(byte[] utf8, String what) {
    if (isAscii(utf8)) return new String(utf8, StandardCharsets.US_ASCII);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " is not valid UTF-8", e);
    }
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) return true;
    }
    return false;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) return false;
    }
    return true;
  }
}
