package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.kv.watch.WatchHub;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchSettingsTest {

  private static WatchHub.Limits read(Map<String, String> values) {
    return WatchSettings.fromLookup(k -> Optional.ofNullable(values.get(k)));
  }

  @Test
  void defaultsAndOverrides() {
    assertThat(read(Map.of())).isEqualTo(new WatchHub.Limits(10_000, 64L << 20, 1_000, 1_000));
    assertThat(read(Map.of(WatchSettings.HISTORY_EVENTS, " 300 ", WatchSettings.HISTORY_BYTES, "4096",
        WatchSettings.QUEUE_EVENTS, "16", WatchSettings.MAX_WATCHERS, "8")))
        .isEqualTo(new WatchHub.Limits(300, 4096, 16, 8));
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    assertThatThrownBy(() -> read(Map.of(WatchSettings.HISTORY_EVENTS, "0", WatchSettings.MAX_WATCHERS, "many")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("raftkv.watch.history.events must be in 1..")
        .hasMessageContaining("raftkv.watch.max.watchers must be a whole number but is 'many'");
  }
}
