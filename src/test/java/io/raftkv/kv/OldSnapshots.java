package io.raftkv.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Rewrites a current (version 3) snapshot the way older releases wrote the same state, byte for byte,
 * so tests prove those streams still restore: version 2 had no ttlSeconds after each entry, version 1
 * also no idempotency records (the rewrite requires there are none).
 */
final class OldSnapshots {
  private OldSnapshots() {}

  static byte[] asVersion2(byte[] v3) throws IOException {
    return rewrite(v3, 2);
  }

  static byte[] asVersion1(byte[] v3) throws IOException {
    return rewrite(v3, 1);
  }

  private static byte[] rewrite(byte[] v3, int version) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(v3, 0, v3.length - 4));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeLong(in.readLong());
    if (in.readByte() != 3) throw new IllegalArgumentException("not a version 3 snapshot");
    out.writeByte(version);
    out.writeLong(in.readLong()); // applied index
    int members = in.readInt();
    out.writeInt(members);
    for (int i = 0; i < members; i++) {
      out.writeLong(in.readLong());
      copyString(in, out);
    }
    long keys = in.readLong();
    out.writeLong(keys);
    for (long i = 0; i < keys; i++) {
      copyString(in, out);
      copyString(in, out);
      for (int j = 0; j < 3; j++) out.writeLong(in.readLong());
      in.readLong(); // ttlSeconds: not in versions 1-2
    }
    byte[] rest = in.readAllBytes(); // sessions, then the idempotency records (version 2-3)
    if (version == 1) {
      if (rest.length < 4 || java.nio.ByteBuffer.wrap(rest, rest.length - 4, 4).getInt() != 0) {
        throw new IllegalArgumentException("version 1 had no idempotency records");
      }
      out.write(rest, 0, rest.length - 4);
    } else {
      out.write(rest);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  private static void copyString(DataInputStream in, DataOutputStream out) throws IOException {
    byte[] s = new byte[in.readInt()];
    in.readFully(s);
    out.writeInt(s.length);
    out.write(s);
  }
}
