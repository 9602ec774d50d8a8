package io.raftkv.storage;

/** Big-endian integer helpers shared by the record codecs. */
final class BigEndian {
  private BigEndian() {}

  static void putInt(byte[] out, int pos, int v) {
    out[pos] = (byte) (v >>> 24);
    out[pos + 1] = (byte) (v >>> 16);
    out[pos + 2] = (byte) (v >>> 8);
    out[pos + 3] = (byte) v;
  }

  static int getInt(byte[] in, int pos) {
    return ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8) | (in[pos + 3] & 0xff);
  }

  static void putLong(byte[] out, int pos, long v) {
    for (int i = 0; i < 8; i++) out[pos + i] = (byte) (v >>> (56 - 8 * i));
  }

  static long getLong(byte[] in, int pos) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (in[pos + i] & 0xffL);
    return v;
  }
}
