package io.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.api.error.ApiException;
import org.junit.jupiter.api.Test;

class ApiLimitsTest {

  private final ApiLimits limits = new ApiLimits(4, 10, 100);

  @Test
  void keysUpToTheLimitInUtf8BytesPass() {
    assertThatCode(() -> limits.checkKey("a/b/")).doesNotThrowAnyException();
    assertThatCode(() -> limits.checkKey("\u00e9\u00e9")).doesNotThrowAnyException();
  }

  @Test
  void emptyAndOverlongKeysAre400() {
    for (String key : new String[] {"", null, "abcde", "\u00e9\u00e9a"}) {
      assertThatThrownBy(() -> limits.checkKey(key)).as(String.valueOf(key))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
  }

  @Test
  void defaultsMatchTheDocumentedConfiguration() {
    assertThat(ApiLimits.DEFAULTS).isEqualTo(new ApiLimits(4096, 1_048_576, 1_572_864));
  }

  @Test
  void aKeyWithAnUnpairedSurrogateIs400AndAPairedOnePasses() {
    ApiLimits roomy = new ApiLimits(64, 10, 100);
    for (String key : new String[] {"\ud800", "a\udc00", "x\ud83d"}) {
      assertThatThrownBy(() -> roomy.checkKey(key))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.detail()).contains("unpaired surrogate");
          });
    }
    assertThatCode(() -> roomy.checkKey("\ud83d\ude00")).doesNotThrowAnyException();
  }

  @Test
  void limitsAboveTheWireFormatsCapsAreRefused() {
    assertThatThrownBy(() -> new ApiLimits(65537, 10, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ApiLimits(16, (64 << 20) + 1, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> new ApiLimits(65536, 64 << 20, 100)).doesNotThrowAnyException();
  }
}
