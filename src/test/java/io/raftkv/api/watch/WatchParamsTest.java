package io.raftkv.api.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class WatchParamsTest {

  private static WatchParams.Selection valid(String prefix, String key, String from, String lastEventId) {
    return new WatchParams(prefix, key, from, lastEventId).validate(ApiLimits.DEFAULTS);
  }

  private static void badRequest(String prefix, String key, String from, String lastEventId, String error) {
    assertThatThrownBy(() -> valid(prefix, key, from, lastEventId))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.error()).isEqualTo(error);
        });
  }

  @Test
  void prefixKeyOrEverything() {
    assertThat(valid("a/", null, null, null).keys()).accepts("a/", "a/b").rejects("b", "a");
    assertThat(valid(null, "a/b", null, null).keys()).accepts("a/b").rejects("a/b/c", "a/");
    assertThat(valid(null, null, null, null).keys()).accepts("", "x");
    assertThat(valid("", null, null, null).keys()).accepts("x");
  }

  @Test
  void startRevision() {
    assertThat(valid(null, null, null, null).afterRevision()).isEmpty();
    assertThat(valid(null, null, "1", null).afterRevision()).isEqualTo(OptionalLong.of(0));
    assertThat(valid(null, null, "42", null).afterRevision()).isEqualTo(OptionalLong.of(41));
    assertThat(valid(null, null, null, "42").afterRevision()).isEqualTo(OptionalLong.of(42));
    assertThat(valid(null, null, null, "0").afterRevision()).isEqualTo(OptionalLong.of(0));
    // an EventSource reconnect repeats the URL's fromRevision and adds Last-Event-ID: the header wins
    assertThat(valid(null, null, "5", "42").afterRevision()).isEqualTo(OptionalLong.of(42));
  }

  @Test
  void badParametersAre400sNamingThem() {
    badRequest("a", "b", null, null, "invalid parameters");
    badRequest(null, "", null, null, "invalid key");
    badRequest(null, "k".repeat(5000), null, null, "invalid key");
    badRequest("p".repeat(5000), null, null, null, "invalid key");
    badRequest(null, null, "0", null, "invalid fromRevision");
    badRequest(null, null, "-3", null, "invalid fromRevision");
    badRequest(null, null, "abc", null, "invalid fromRevision");
    badRequest(null, null, "99999999999999999999", null, "invalid fromRevision");
    badRequest(null, null, null, "x", "invalid Last-Event-ID");
    badRequest(null, null, null, "-1", "invalid Last-Event-ID");
  }
}
