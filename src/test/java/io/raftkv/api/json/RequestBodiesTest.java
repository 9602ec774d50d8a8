package io.raftkv.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.api.error.ApiException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

  @Test
  void readsABodyOfExactlyTheLimit() {
    byte[] body = new byte[20_000];
    assertThat(RequestBodies.readBounded(new ByteArrayInputStream(body), null, 20_000)).hasSize(20_000);
  }

  @Test
  void aBodyOverTheLimitIs413AndItsRestIsDiscardedUpToTheDrainLimit() {
    CountingStream in = new CountingStream(1_000_000);
    assertThatThrownBy(() -> RequestBodies.readBounded(in, null, 10_000, 500_000))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    assertThat(in.served).isEqualTo(10_001 + 500_000);

    CountingStream small = new CountingStream(20_000);
    assertThatThrownBy(() -> RequestBodies.readBounded(small, null, 10_000))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    assertThat(small.served).isEqualTo(20_000);
  }

  @Test
  void aDeclaredLengthOverTheLimitIs413WithoutBuffering() {
    CountingStream in = new CountingStream(10_001);
    assertThatThrownBy(() -> RequestBodies.readBounded(in, 10_001L, 10_000, 0))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(413));
    assertThat(in.served).isZero();
  }

  @Test
  void aDeclaredLengthIsReadExactlyAndAShortBodyIsWhatArrived() {
    byte[] body = "{\"value\":\"bar\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(RequestBodies.readBounded(new ByteArrayInputStream(body), (long) body.length, 100)).containsExactly(body);
    assertThat(RequestBodies.readBounded(new ByteArrayInputStream(body), 100L, 100)).containsExactly(body);
    assertThat(RequestBodies.readBounded(new ByteArrayInputStream(body), 0L, 100)).isEmpty();
  }

  @Test
  void parsesAJsonObject() {
    var object = RequestBodies.parseObject("{\"value\":\"bar\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(object.getString("value")).isEqualTo("bar");
  }

  @Test
  void bodiesInOtherUnicodeEncodingsStillParseAsTheParserDetectsThem() {
    String json = "{\"value\":\"b\u00e4r \ud83d\ude00\"}";
    byte[] utf8Bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, json.getBytes(StandardCharsets.UTF_8));
    for (byte[] body : new byte[][] {json.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_16),
        json.getBytes(StandardCharsets.UTF_16LE), json.getBytes(StandardCharsets.UTF_16BE), utf8Bom}) {
      assertThat(RequestBodies.parseObject(body).getString("value")).isEqualTo("b\u00e4r \ud83d\ude00");
    }
  }

  @Test
  void malformedUtf8DecodesToReplacementCharactersAsTheStreamReaderDid() {
    byte[] body = {'{', '"', 'v', '"', ':', '"', 'a', (byte) 0xC3, '"', '}'};
    assertThat(RequestBodies.parseObject(body).getString("v")).isEqualTo("a\ufffd");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void malformedJsonEmptyBodiesAndNonObjectsAre400() {
    for (String body : new String[] {"{\"value\":", "", "  ", "[1,2]", "\"bar\"", "value=bar", "{} trailing"}) {
      assertThatThrownBy(() -> RequestBodies.parseObject(body.getBytes(StandardCharsets.UTF_8)))
          .as(body)
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error()).isEqualTo("malformed JSON");
          });
    }
  }

  @Test
  void blanknessAgreesWithStringIsBlankWithoutDecodingTheCommonCase() {
    for (String body : new String[] {"", " ", " \t\r\n ", "\u000b\f", "\u2003", " {", "x", "\u00e9", " \u2003 x"}) {
      assertThat(RequestBodies.isBlank(body.getBytes(StandardCharsets.UTF_8))).as("[%s]", body).isEqualTo(body.isBlank());
    }
  }

  @Test
  void parsingIsRepeatableWithTheSharedParserFactory() {
    for (int i = 0; i < 3; i++) {
      assertThat(RequestBodies.parseObject(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)).getInt("n")).isEqualTo(i);
    }
  }

  @Test
  void anOptionalBodyMayBeEmpty() {
    assertThat(RequestBodies.parseOptionalObject(new byte[0])).isEmpty();
    assertThat(RequestBodies.parseOptionalObject("{\"to\":2}".getBytes(StandardCharsets.UTF_8))).containsKey("to");
  }

  @Test
  void contentLengthParsingIgnoresGarbage() {
    assertThat(RequestBodies.parseLength(" 42 ")).isEqualTo(42L);
    assertThat(RequestBodies.parseLength("x")).isNull();
    assertThat(RequestBodies.parseLength(null)).isNull();
  }

  /** Serves zero bytes up to a size, counting what it served. */
  private static final class CountingStream extends InputStream {
    private final int size;
    int served;

    CountingStream(int size) {
      this.size = size;
    }

    @Override
    public int read() {
      return served < size ? (++served & 0) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served >= size) {
        return -1;
      }
      int n = Math.min(len, size - served);
      served += n;
      return n;
    }
  }

  @Test
  void aBodyThatBreaksOffMidwayIsA400NotA500() {
    java.io.InputStream broken = new java.io.InputStream() {
      private int left = 3;

      @Override
      public int read() throws java.io.IOException {
        if (left-- > 0) return 'x';
        throw new java.io.IOException("Connection is closed");
      }
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RequestBodies.readBounded(broken, null, 100))
        .isInstanceOfSatisfying(io.raftkv.api.error.ApiException.class, e -> {
          org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(400);
          org.assertj.core.api.Assertions.assertThat(e.error()).isEqualTo("incomplete body");
        });
  }
}
