package io.raftkv.api.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.watch.WatchEvent;
import org.junit.jupiter.api.Test;

class WatchEventFormatTest {

  @Test
  void putAndDeleteEvents() {
    WatchEvent put = new WatchEvent(7, "a/\"q\"", "v\n1");
    assertThat(WatchEventFormat.name(put)).isEqualTo("put");
    assertThat(WatchEventFormat.data(put)).isEqualTo("{\"key\":\"a/\\\"q\\\"\",\"value\":\"v\\n1\",\"revision\":7}");
    WatchEvent delete = new WatchEvent(8, "a", null);
    assertThat(WatchEventFormat.name(delete)).isEqualTo("delete");
    assertThat(WatchEventFormat.data(delete)).isEqualTo("{\"key\":\"a\",\"value\":null,\"revision\":8}");
  }

  @Test
  void dataIsOneLineSoItIsOneSseDataField() {
    assertThat(WatchEventFormat.data(new WatchEvent(1, "k\r\n", "a\nb\rc"))).doesNotContain("\n", "\r");
  }

  @Test
  void cancellationNamesReasonAndResumeRevision() {
    assertThat(WatchEventFormat.cancelled("slow watcher", 12))
        .isEqualTo("{\"reason\":\"slow watcher\",\"resumeRevision\":12}");
  }
}
