package io.raftkv.kv;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of a {@link KvCommand}, as stored in Raft log entries: {@code version(1)=1} then
 * a body, where strings are {@code length(4) UTF-8} and counts are 4 bytes:
 * <pre>
 *   type(1)=1 put:        clientId(8) sequence(8) key value conditionKind(1) [revision(8) | conditionValue]
 *   type(1)=2 delete:     clientId(8) sequence(8) key
 *   type(1)=3 txn:        clientId(8) sequence(8) compareCount {key target(1) number(8) | key target(1)=0 value}*
 *                         successCount {op} failureCount {op}   op: kind(1) key [value]  (1=put 2=delete 3=get)
 *   type(1)=4 idempotent: idempotencyKey body (the wrapped command's body, never another type 4)
 *   type(1)=5 put+ttl:    as type 1, then ttlSeconds(8)          (a put with ttlSeconds > 0)
 *   type(1)=6 expire:     count {key modRevision(8)}*             (no request id; never inside type 4)
 * </pre>
 * Types 1 and 2 are the original format, unchanged; a put without a TTL is still written as type 1. Keys are capped at 64 KiB and values at 64 MiB by
 * the format itself; decoding anything else throws {@link IllegalArgumentException} with the reason.
 */
public final class KvCommandCodec {
  static final byte VERSION = 1;
  /** Hard cap of an idempotency key on the wire (the HTTP boundary allows less). */
  static final int MAX_IDEMPOTENCY_KEY_BYTES = 1024;
  private static final byte PUT = 1;
  private static final byte DELETE = 2;
  private static final byte TXN = 3;
  private static final byte IDEMPOTENT = 4;
  private static final byte PUT_TTL = 5;
  private static final byte EXPIRE = 6;
  private static final Condition.Kind[] KINDS = Condition.Kind.values();
  private static final Txn.Target[] TARGETS = Txn.Target.values();

  private KvCommandCodec() {}

  /** @throws IllegalArgumentException if a string is too long or not valid Unicode */
  public static byte[] encode(KvCommand command) {
    Wire.Writer w = new Wire.Writer().writeByte(VERSION);
    writeBody(w, command, true);
    return w.bytes();
  }

  /** @throws IllegalArgumentException if {@code bytes} is not exactly one well-formed command */
  public static KvCommand decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes);
    byte version = r.readByte();
    if (version != VERSION) throw new IllegalArgumentException("unknown command version " + version);
    KvCommand command = readBody(r, true);
    r.requireEnd();
    return command;
  }

  /**
   * A 64-bit digest of what {@code command} asks for, without its request id: two requests with the
   * same idempotency key and the same digest are retries of one another.
   */
  static long contentDigest(KvCommand command) {
    Wire.Writer w = new Wire.Writer();
    writeBody(w, command, false);
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(w.bytes())).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void writeBody(Wire.Writer w, KvCommand command, boolean withRequestId) {
    if (command instanceof KvCommand.Idempotent idem) {
      w.writeByte(IDEMPOTENT).writeString(idem.idempotencyKey(), MAX_IDEMPOTENCY_KEY_BYTES);
      writeBody(w, idem.command(), withRequestId);
      return;
    }
    if (command instanceof KvCommand.Expire expire) {
      writeExpire(w.writeByte(EXPIRE), expire);
      return;
    }
    byte type = command instanceof KvCommand.Put put
        ? (put.ttlSeconds() > 0 ? PUT_TTL : PUT)
        : command instanceof KvCommand.Delete ? DELETE : TXN;
    w.writeByte(type);
    if (withRequestId) w.writeLong(command.clientId()).writeLong(command.sequence());
    if (command instanceof KvCommand.Put put) {
      w.writeString(put.key(), Wire.MAX_KEY_BYTES).writeString(put.value(), Wire.MAX_VALUE_BYTES);
      Condition c = put.condition();
      w.writeByte(c.kind().ordinal());
      if (c.kind() == Condition.Kind.MOD_REVISION_EQUALS) w.writeLong(c.revision());
      if (c.kind() == Condition.Kind.VALUE_EQUALS) w.writeString(c.value(), Wire.MAX_VALUE_BYTES);
      if (type == PUT_TTL) w.writeLong(put.ttlSeconds());
    } else if (command instanceof KvCommand.Delete delete) {
      w.writeString(delete.key(), Wire.MAX_KEY_BYTES);
    } else {
      writeTxn(w, ((KvCommand.Transaction) command).txn());
    }
  }

  private static KvCommand readBody(Wire.Reader r, boolean outermost) {
    byte type = r.readByte();
    if (type == IDEMPOTENT && outermost) {
      String idempotencyKey = r.readString(MAX_IDEMPOTENCY_KEY_BYTES, "idempotency key");
      return new KvCommand.Idempotent(idempotencyKey, readBody(r, false));
    }
    if (type == EXPIRE && outermost) return readExpire(r);
    if (type != PUT && type != DELETE && type != TXN && type != PUT_TTL) {
      throw new IllegalArgumentException("unknown command type " + type);
    }
    long clientId = r.readLong();
    long sequence = r.readLong();
    return switch (type) {
      case PUT -> new KvCommand.Put(clientId, sequence, r.readString(Wire.MAX_KEY_BYTES, "key"),
          r.readString(Wire.MAX_VALUE_BYTES, "value"), readCondition(r));
      case PUT_TTL -> readPutWithTtl(r, clientId, sequence);
      case DELETE -> new KvCommand.Delete(clientId, sequence, r.readString(Wire.MAX_KEY_BYTES, "key"));
      default -> new KvCommand.Transaction(clientId, sequence, readTxn(r));
    };
  }

  private static KvCommand readPutWithTtl(Wire.Reader r, long clientId, long sequence) {
    String key = r.readString(Wire.MAX_KEY_BYTES, "key");
    String value = r.readString(Wire.MAX_VALUE_BYTES, "value");
    Condition condition = readCondition(r);
    long ttl = r.readLong();
    if (ttl <= 0) throw new IllegalArgumentException("a type 5 put needs a positive ttl: " + ttl);
    return new KvCommand.Put(clientId, sequence, key, value, condition, ttl);
  }

  private static void writeExpire(Wire.Writer w, KvCommand.Expire expire) {
    w.writeInt(expire.keys().size());
    for (KvCommand.Due due : expire.keys()) w.writeString(due.key(), Wire.MAX_KEY_BYTES).writeLong(due.modRevision());
  }

  private static KvCommand.Expire readExpire(Wire.Reader r) {
    int n = r.readCount(KvCommand.Expire.MAX_KEYS, "expire key count");
    List<KvCommand.Due> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) keys.add(new KvCommand.Due(r.readString(Wire.MAX_KEY_BYTES, "expire key"), r.readLong()));
    return new KvCommand.Expire(keys);
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

  private static void writeTxn(Wire.Writer w, Txn txn) {
    w.writeInt(txn.compares().size());
    for (Txn.Compare c : txn.compares()) {
      w.writeString(c.key(), Wire.MAX_KEY_BYTES).writeByte(c.target().ordinal());
      if (c.target() == Txn.Target.VALUE) w.writeString(c.value(), Wire.MAX_VALUE_BYTES);
      else w.writeLong(c.number());
    }
    writeOps(w, txn.success());
    writeOps(w, txn.failure());
  }

  private static void writeOps(Wire.Writer w, List<Txn.Op> ops) {
    w.writeInt(ops.size());
    for (Txn.Op op : ops) {
      w.writeByte(op instanceof Txn.Put ? 1 : op instanceof Txn.Delete ? 2 : 3).writeString(op.key(), Wire.MAX_KEY_BYTES);
      if (op instanceof Txn.Put put) w.writeString(put.value(), Wire.MAX_VALUE_BYTES);
    }
  }

  private static Txn readTxn(Wire.Reader r) {
    int n = r.readCount(Txn.MAX_COMPARES, "compare count");
    List<Txn.Compare> compares = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = r.readString(Wire.MAX_KEY_BYTES, "compare key");
      int target = r.readByte();
      if (target < 0 || target >= TARGETS.length) throw new IllegalArgumentException("unknown compare target " + target);
      compares.add(TARGETS[target] == Txn.Target.VALUE
          ? Txn.Compare.value(key, r.readString(Wire.MAX_VALUE_BYTES, "compare value"))
          : Txn.Compare.number(key, TARGETS[target], r.readLong()));
    }
    return new Txn(compares, readOps(r), readOps(r));
  }

  private static List<Txn.Op> readOps(Wire.Reader r) {
    int n = r.readCount(Txn.MAX_OPS, "op count");
    List<Txn.Op> ops = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte kind = r.readByte();
      String key = r.readString(Wire.MAX_KEY_BYTES, "op key");
      ops.add(switch (kind) {
        case 1 -> new Txn.Put(key, r.readString(Wire.MAX_VALUE_BYTES, "op value"));
        case 2 -> new Txn.Delete(key);
        case 3 -> new Txn.Get(key);
        default -> throw new IllegalArgumentException("unknown op kind " + kind);
      });
    }
    return ops;
  }
}
