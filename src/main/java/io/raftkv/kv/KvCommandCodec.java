package io.raftkv.kv;

/**
 * Compact binary form of a {@link KvCommand}, as stored in Raft log entries:
 * <pre>
 *   version(1)=1  type(1): 1=put 2=delete  clientId(8)  sequence(8)  key(4+n UTF-8)
 *   put only:     value(4+n UTF-8)  conditionKind(1)  [revision(8) | conditionValue(4+n UTF-8)]
 * </pre>
 * Keys are capped at 64 KiB and values at 64 MiB by the format itself; decoding anything else throws
 * {@link IllegalArgumentException} with the reason.
 */
public final class KvCommandCodec {
  static final byte VERSION = 1;
  private static final byte PUT = 1;
  private static final byte DELETE = 2;
  private static final Condition.Kind[] KINDS = Condition.Kind.values();

  private KvCommandCodec() {}

  /** @throws IllegalArgumentException if a string is too long or not valid Unicode */
  public static byte[] encode(KvCommand command) {
    Wire.Writer w = new Wire.Writer().writeByte(VERSION);
    if (command instanceof KvCommand.Put put) {
      w.writeByte(PUT).writeLong(put.clientId()).writeLong(put.sequence())
          .writeString(put.key(), Wire.MAX_KEY_BYTES).writeString(put.value(), Wire.MAX_VALUE_BYTES);
      Condition c = put.condition();
      w.writeByte(c.kind().ordinal());
      if (c.kind() == Condition.Kind.MOD_REVISION_EQUALS) w.writeLong(c.revision());
      if (c.kind() == Condition.Kind.VALUE_EQUALS) w.writeString(c.value(), Wire.MAX_VALUE_BYTES);
    } else {
      KvCommand.Delete delete = (KvCommand.Delete) command;
      w.writeByte(DELETE).writeLong(delete.clientId()).writeLong(delete.sequence())
          .writeString(delete.key(), Wire.MAX_KEY_BYTES);
    }
    return w.bytes();
  }

  /** @throws IllegalArgumentException if {@code bytes} is not exactly one well-formed command */
  public static KvCommand decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes);
    byte version = r.readByte();
    if (version != VERSION) throw new IllegalArgumentException("unknown command version " + version);
    byte type = r.readByte();
    long clientId = r.readLong();
    long sequence = r.readLong();
    String key = r.readString(Wire.MAX_KEY_BYTES, "key");
    KvCommand command = switch (type) {
      case PUT -> new KvCommand.Put(clientId, sequence, key, r.readString(Wire.MAX_VALUE_BYTES, "value"), readCondition(r));
      case DELETE -> new KvCommand.Delete(clientId, sequence, key);
      default -> throw new IllegalArgumentException("unknown command type " + type);
    };
    r.requireEnd();
    return command;
  }

  private static Condition readCondition(Wire.Reader r) {
    int kind = r.readByte();
    if (kind < 0 || kind >= KINDS.length) throw new IllegalArgumentException("unknown condition kind " + kind);
    return switch (KINDS[kind]) {
      case NONE -> Condition.NONE;
      case ABSENT -> Condition.absent();
      case MOD_REVISION_EQUALS -> Condition.modRevision(r.readLong());
      case VALUE_EQUALS -> Condition.valueEquals(r.readString(Wire.MAX_VALUE_BYTES, "condition value"));
    };
  }
}
