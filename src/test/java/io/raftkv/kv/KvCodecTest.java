package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class KvCodecTest {
  private static final List<KvCommand> COMMANDS = List.of(
      new KvCommand.Put(42, 1, "foo", "bar"),
      new KvCommand.Put(-7, Long.MAX_VALUE, "a/b/c", "", Condition.modRevision(17)),
      new KvCommand.Put(1, 2, "ключ", "värde 🎉", Condition.valueEquals("old 🎈")),
      new KvCommand.Put(1, 3, "", "x", Condition.absent()),
      new KvCommand.Put(0, 0, "no-dedup", "v"),
      new KvCommand.Delete(9, 10, "gone"),
      new KvCommand.Transaction(5, 6, new Txn(
          List.of(Txn.Compare.number("a", Txn.Target.MOD_REVISION, 5), Txn.Compare.value("b", "x é"),
              Txn.Compare.exists("c", false), Txn.Compare.number("d", Txn.Target.VERSION, 2),
              Txn.Compare.number("e", Txn.Target.CREATE_REVISION, 1)),
          List.of(new Txn.Put("d", "y"), new Txn.Delete("e"), new Txn.Get("f")),
          List.of(new Txn.Get("a")))),
      new KvCommand.Transaction(0, 0, new Txn(List.of(), List.of(), List.of())),
      new KvCommand.Idempotent("retry-key-1", new KvCommand.Put(3, 4, "k", "v", Condition.absent())),
      new KvCommand.Idempotent("ключ", new KvCommand.Delete(3, 5, "k")),
      new KvCommand.Idempotent("t", new KvCommand.Transaction(3, 6, new Txn(
          List.of(Txn.Compare.value("k", "v")), List.of(new Txn.Put("k", "w")), List.of()))));

  private static final List<KvResult> RESULTS = List.of(
      KvResult.Ok.put(new KvEntry("k", "v", 3, 5, 2)),
      KvResult.Ok.deleted(12),
      new KvResult.NotFound(),
      new KvResult.PreconditionFailed(null),
      new KvResult.PreconditionFailed(new KvEntry("k", "ü", 1, 1, 1)),
      new KvResult.Expired(),
      new KvResult.Rejected("bad bytes"),
      new KvResult.TxnDone(new TxnOutcome(true, 9, List.of(new TxnOutcome.PutResult("d", 9, 3),
          new TxnOutcome.DeleteResult("e", true), new TxnOutcome.DeleteResult("x", false),
          new TxnOutcome.GetResult("f", new KvEntry("f", "v", 1, 2, 2)), new TxnOutcome.GetResult("g", null)))),
      new KvResult.TxnDone(new TxnOutcome(false, 10, List.of())),
      new KvResult.IdempotencyMismatch());

  @Test
  void commandsRoundTrip() {
    for (KvCommand c : COMMANDS) assertThat(KvCommandCodec.decode(KvCommandCodec.encode(c))).isEqualTo(c);
  }

  @Test
  void resultsRoundTrip() {
    for (KvResult r : RESULTS) assertThat(KvResultCodec.decode(KvResultCodec.encode(r))).isEqualTo(r);
  }

  @Test
  void theOriginalPutAndDeleteEncodingIsUnchanged() {
    // Entries written before transactions existed must decode as before: pinned bytes of version 1.
    byte[] delete = {1, 2, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 'k'};
    assertThat(KvCommandCodec.decode(delete)).isEqualTo(new KvCommand.Delete(9, 10, "k"));
    assertThat(KvCommandCodec.encode(new KvCommand.Delete(9, 10, "k"))).isEqualTo(delete);
  }

  @Test
  void contentDigestIgnoresTheRequestIdButNotTheContent() {
    long digest = KvCommandCodec.contentDigest(new KvCommand.Put(1, 1, "k", "v"));
    assertThat(KvCommandCodec.contentDigest(new KvCommand.Put(77, 9, "k", "v"))).isEqualTo(digest);
    assertThat(KvCommandCodec.contentDigest(new KvCommand.Put(1, 1, "k", "w"))).isNotEqualTo(digest);
    assertThat(KvCommandCodec.contentDigest(new KvCommand.Put(1, 1, "k", "v", Condition.absent()))).isNotEqualTo(digest);
    assertThat(KvCommandCodec.contentDigest(new KvCommand.Delete(1, 1, "k"))).isNotEqualTo(digest);
  }

  @Test
  void anIdempotentWrapperCannotNest() {
    byte[] inner = KvCommandCodec.encode(new KvCommand.Idempotent("a", new KvCommand.Delete(1, 1, "k")));
    byte[] nested = new byte[inner.length + 5];
    nested[0] = 1;
    nested[1] = 4;
    // bytes 2..5: an empty idempotency key, then a body that is itself idempotent (type 4)
    System.arraycopy(inner, 1, nested, 6, inner.length - 1);
    assertThatThrownBy(() -> KvCommandCodec.decode(nested))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown command type 4");
    assertThatThrownBy(() -> new KvCommand.Idempotent("b", new KvCommand.Idempotent("a", new KvCommand.Delete(1, 1, "k"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodingIsCompact() {
    // version, type, client id, sequence, two length-prefixed strings, condition kind
    assertThat(KvCommandCodec.encode(new KvCommand.Put(1, 1, "foo", "bar"))).hasSize(1 + 1 + 8 + 8 + 7 + 7 + 1);
  }

  @Test
  void rejectsStringsThatCannotRoundTrip() {
    assertThatThrownBy(() -> KvCommandCodec.encode(new KvCommand.Put(1, 1, "bad\uD800", "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    String hugeKey = "k".repeat(Wire.MAX_KEY_BYTES + 1);
    assertThatThrownBy(() -> KvCommandCodec.encode(new KvCommand.Delete(1, 1, hugeKey)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
  }

  @Test
  void rejectsUnknownVersionTrailingBytesAndBadUtf8() {
    byte[] good = KvCommandCodec.encode(new KvCommand.Put(1, 1, "foo", "bar"));
    byte[] version2 = good.clone();
    version2[0] = 2;
    assertThatThrownBy(() -> KvCommandCodec.decode(version2)).hasMessageContaining("version");
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> KvCommandCodec.decode(trailing)).hasMessageContaining("trailing");
    byte[] badUtf8 = good.clone();
    badUtf8[1 + 1 + 16 + 4] = (byte) 0xC3; // 'f' becomes the start of a two-byte sequence followed by 'o'
    assertThatThrownBy(() -> KvCommandCodec.decode(badUtf8)).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> KvCommandCodec.decode(new byte[0])).hasMessageContaining("truncated");
  }

  @Test
  void randomBytesOnlyEverThrowIllegalArgument() {
    fuzz(KvCommandCodec::decode, KvCommandCodec::encode, COMMANDS);
    fuzz(KvResultCodec::decode, KvResultCodec::encode, RESULTS);
  }

  /** Pure noise, then single-byte mutations and truncations of valid encodings. */
  private static <T> void fuzz(Function<byte[], T> decode, Function<T, byte[]> encode, List<T> samples) {
    Random random = new Random(20240611);
    for (int i = 0; i < 20_000; i++) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      if (random.nextBoolean() && noise.length > 0) noise[0] = 1;
      decodeOrIllegalArgument(decode, encode, noise);
    }
    for (T sample : samples) {
      byte[] good = encode.apply(sample);
      for (int len = 0; len < good.length; len++) {
        byte[] cut = java.util.Arrays.copyOf(good, len);
        assertThatThrownBy(() -> decode.apply(cut)).isInstanceOf(IllegalArgumentException.class);
      }
      for (int pos = 0; pos < good.length; pos++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] flipped = good.clone();
          flipped[pos] ^= (byte) (1 << bit);
          decodeOrIllegalArgument(decode, encode, flipped);
        }
      }
    }
  }

  /** Either a clean IllegalArgumentException, or a value that re-encodes to exactly the same bytes. */
  private static <T> void decodeOrIllegalArgument(Function<byte[], T> decode, Function<T, byte[]> encode, byte[] bytes) {
    T decoded;
    try {
      decoded = decode.apply(bytes);
    } catch (IllegalArgumentException expected) {
      return;
    }
    assertThat(encode.apply(decoded)).isEqualTo(bytes);
  }
}
