package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PeerAddressTest {

  @Test
  void parsesHostAndPortIncludingBracketedIpv6() {
    assertThat(PeerAddress.parse("127.0.0.2:9090")).isEqualTo(new PeerAddress("127.0.0.2", 9090));
    assertThat(PeerAddress.parse("node-1.local:1")).isEqualTo(new PeerAddress("node-1.local", 1));
    assertThat(PeerAddress.parse("[::1]:7000")).isEqualTo(new PeerAddress("::1", 7000));
  }

  @Test
  void rejectsAddressesWithoutAUsablePort() {
    for (String bad : new String[] {"localhost", ":9090", "host:", "host:http", "host:70000", "host:0"}) {
      assertThatThrownBy(() -> PeerAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void configRejectsChunksThatCouldNotFitInAMessage() {
    TransportConfig ok = TransportConfig.defaults(1, "127.0.0.1", 0, Path.of("x"));

    assertThat(ok.snapshotChunkBytes()).isEqualTo(1 << 20);
    assertThatThrownBy(() -> ok.withSnapshotChunkBytes(ok.maxMessageBytes()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TransportConfig.defaults(0, "127.0.0.1", 0, Path.of("x")))
        .hasMessageContaining("selfId");
  }
}
