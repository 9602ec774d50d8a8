package io.raftkv.kv;

/**
 * Binary form of a {@link KvResult}: {@code version(1)=1 tag(1)} then, per tag,
 * 1=Ok {@code hasEntry(1) [entry] revision(8)}, 2=NotFound, 3=PreconditionFailed {@code hasEntry(1) [entry]},
 * 4=Expired, 5=Rejected {@code reason(4+n)}, 6=TxnDone {@code succeeded(1) revision(8) count(4) {result}*}
 * where a result is {@code kind(1) key(4+n)} then 1=put {@code revision(8) version(8)}, 2=delete
 * {@code deleted(1)}, 3=get {@code hasEntry(1) [entry]}, 7=IdempotencyMismatch; an entry is
 * {@code key(4+n) value(4+n) createRevision(8) modRevision(8) version(8)}.
 */
public final class KvResultCodec {
  private static final byte VERSION = 1;
  private static final byte OK = 1;
  private static final byte NOT_FOUND = 2;
  private static final byte PRECONDITION_FAILED = 3;
  private static final byte EXPIRED = 4;
  private static final byte REJECTED = 5;
  private static final byte TXN_DONE = 6;
  private static final byte IDEMPOTENCY_MISMATCH = 7;
  private static final int MAX_REASON_BYTES = 4096;

  private KvResultCodec() {}

  public static byte[] encode(KvResult result) {
    Wire.Writer w = new Wire.Writer().writeByte(VERSION);
    if (result instanceof KvResult.Ok ok) {
      writeOptionalEntry(w.writeByte(OK), ok.entry()).writeLong(ok.revision());
    } else if (result instanceof KvResult.NotFound) {
      w.writeByte(NOT_FOUND);
    } else if (result instanceof KvResult.PreconditionFailed failed) {
      writeOptionalEntry(w.writeByte(PRECONDITION_FAILED), failed.current());
    } else if (result instanceof KvResult.Expired) {
      w.writeByte(EXPIRED);
    } else if (result instanceof KvResult.TxnDone txn) {
      writeOutcome(w.writeByte(TXN_DONE), txn.outcome());
    } else if (result instanceof KvResult.IdempotencyMismatch) {
      w.writeByte(IDEMPOTENCY_MISMATCH);
    } else {
      String reason = ((KvResult.Rejected) result).reason();
      w.writeByte(REJECTED).writeString(truncate(reason), MAX_REASON_BYTES);
    }
    return w.bytes();
  }

  /**
   * The result of applying {@code cmd}, as its proposer sees it: {@link KvStateMachine#apply} leaves a
   * put's value out of the bytes, and the command has it.
   *
   * @throws IllegalArgumentException if {@code bytes} is not exactly one well-formed result
   */
  public static KvResult decodeFor(KvCommand cmd, byte[] bytes) {
    KvResult result = decode(bytes);
    if (result instanceof KvResult.Ok ok && ok.entry() != null && cmd.unwrapped() instanceof KvCommand.Put put) {
      // the encoded entry has neither the value nor the TTL: both are the command's
      return new KvResult.Ok(ok.entry().withValue(put.value()).withTtl(put.ttlSeconds()), ok.revision());
    }
    return result;
  }

  /** @throws IllegalArgumentException if {@code bytes} is not exactly one well-formed result */
  public static KvResult decode(byte[] bytes) {
    Wire.Reader r = new Wire.Reader(bytes);
    byte version = r.readByte();
    if (version != VERSION) throw new IllegalArgumentException("unknown result version " + version);
    byte tag = r.readByte();
    KvResult result = switch (tag) {
      case OK -> new KvResult.Ok(readOptionalEntry(r), r.readLong());
      case NOT_FOUND -> new KvResult.NotFound();
      case PRECONDITION_FAILED -> new KvResult.PreconditionFailed(readOptionalEntry(r));
      case EXPIRED -> new KvResult.Expired();
      case REJECTED -> new KvResult.Rejected(r.readString(MAX_REASON_BYTES, "reason"));
      case TXN_DONE -> new KvResult.TxnDone(readOutcome(r));
      case IDEMPOTENCY_MISMATCH -> new KvResult.IdempotencyMismatch();
      default -> throw new IllegalArgumentException("unknown result tag " + tag);
    };
    r.requireEnd();
    return result;
  }

  private static void writeOutcome(Wire.Writer w, TxnOutcome outcome) {
    w.writeByte(outcome.succeeded() ? 1 : 0).writeLong(outcome.revision()).writeInt(outcome.results().size());
    for (TxnOutcome.OpResult result : outcome.results()) {
      if (result instanceof TxnOutcome.PutResult put) {
        w.writeByte(1).writeString(put.key(), Wire.MAX_KEY_BYTES).writeLong(put.revision()).writeLong(put.version());
      } else if (result instanceof TxnOutcome.DeleteResult delete) {
        w.writeByte(2).writeString(delete.key(), Wire.MAX_KEY_BYTES).writeByte(delete.deleted() ? 1 : 0);
      } else {
        TxnOutcome.GetResult get = (TxnOutcome.GetResult) result;
        writeOptionalEntry(w.writeByte(3).writeString(get.key(), Wire.MAX_KEY_BYTES), get.entry());
      }
    }
  }

  private static TxnOutcome readOutcome(Wire.Reader r) {
    boolean succeeded = r.readFlag("succeeded");
    long revision = r.readLong();
    int n = r.readCount(Txn.MAX_OPS, "txn result count");
    java.util.List<TxnOutcome.OpResult> results = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte kind = r.readByte();
      String key = r.readString(Wire.MAX_KEY_BYTES, "key");
      results.add(switch (kind) {
        case 1 -> new TxnOutcome.PutResult(key, r.readLong(), r.readLong());
        case 2 -> new TxnOutcome.DeleteResult(key, r.readFlag("deleted"));
        case 3 -> new TxnOutcome.GetResult(key, readOptionalEntry(r));
        default -> throw new IllegalArgumentException("unknown txn result kind " + kind);
      });
    }
    return new TxnOutcome(succeeded, revision, results);
  }

  private static Wire.Writer writeOptionalEntry(Wire.Writer w, KvEntry entry) {
    return entry == null ? w.writeByte(0) : w.writeByte(1).writeEntry(entry);
  }

  private static KvEntry readOptionalEntry(Wire.Reader r) {
    byte present = r.readByte();
    if (present == 0) return null;
    if (present != 1) throw new IllegalArgumentException("bad entry presence flag " + present);
    return r.readEntry();
  }

  /** Reasons are diagnostics: keep them short and always encodable (lone surrogates become '?'). */
  private static String truncate(String reason) {
    StringBuilder out = new StringBuilder();
    reason.codePoints().limit(1000)
        .map(cp -> Character.isSurrogate((char) cp) && cp <= 0xFFFF ? '?' : cp)
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}
