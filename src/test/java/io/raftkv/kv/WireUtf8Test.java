package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Wire's UTF-8 fast paths give exactly what the strict codec gives, and refuse what it refuses. */
class WireUtf8Test {

  @Test
  void encodesAndDecodesLikeTheStrictCodecOverRandomText() throws Exception {
    Random random = new Random(20261129);
    for (int i = 0; i < 5_000; i++) {
      String s = randomValidText(random);
      byte[] strict = strictEncode(s);
      assertThat(Wire.encodeUtf8(s)).as("encoding of %s", s).isEqualTo(strict);
      assertThat(Wire.decodeUtf8(strict, "value")).isEqualTo(s);
    }
  }

  @Test
  void refusesUnpairedSurrogatesAndMalformedBytesOnEveryPath() {
    for (String bad : new String[] {"\uD800", "a\uDFFF", "\uDC00\uD800", "abc\uD83D"}) {
      assertThatThrownBy(() -> Wire.encodeUtf8(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unpaired surrogate");
    }
    for (byte[] bad : new byte[][] {{(byte) 0xC3}, {'a', (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xC0, (byte) 0xAF}}) {
      assertThatThrownBy(() -> Wire.decodeUtf8(bad, "key")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key is not valid UTF-8");
    }
  }

  /** ASCII, Latin-1, other BMP characters and surrogate pairs, in runs of random length. */
  private static String randomValidText(Random random) {
    StringBuilder sb = new StringBuilder();
    int length = random.nextInt(40);
    int kind = random.nextInt(4);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(kind + 1)) {
        case 0 -> sb.append((char) random.nextInt(0x80));
        case 1 -> sb.append((char) (0x80 + random.nextInt(0x80)));
        case 2 -> sb.append((char) (0x100 + random.nextInt(0xD800 - 0x100)));
        default -> sb.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
      }
    }
    return sb.toString();
  }

  private static byte[] strictEncode(String s) throws Exception {
    ByteBuffer buf = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }
}
