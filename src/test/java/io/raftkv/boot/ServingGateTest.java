package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ServingGateTest {

  @Test
  void servesOnlyWhileTheLoopRunsAndShutdownHasNotBegun() {
    assertThat(ServingGate.refusal(false, true)).isNull();
    assertThat(ServingGate.refusal(false, false)).isEqualTo("node is starting");
    assertThat(ServingGate.refusal(true, true)).isEqualTo("node is stopping");
    assertThat(ServingGate.refusal(true, false)).isEqualTo("node is stopping");
  }

  @Test
  void refusalIsTheStoresUnavailableErrorJson() {
    var json = Json.createReader(new StringReader(ServingGate.unavailableJson("node is starting"))).readObject();
    assertThat(json.getString("error")).isEqualTo("unavailable");
    assertThat(json.getString("detail")).isEqualTo("node is starting");
    assertThat(ServingGate.RETRY_AFTER_SECONDS).isEqualTo("1");
  }
}
