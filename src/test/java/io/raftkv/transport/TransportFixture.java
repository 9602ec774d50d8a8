package io.raftkv.transport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts real transports on loopback ephemeral ports and closes them all at the end of a test. */
final class TransportFixture implements AutoCloseable {
  private final Path baseDir;
  private final List<GrpcPeerTransport> started = new ArrayList<>();

  TransportFixture(Path baseDir) {
    this.baseDir = baseDir;
  }

  /** Test settings: fast reconnects and a short shutdown so tests stay quick. */
  TransportConfig config(long id, int port) {
    return TransportConfig.defaults(id, "127.0.0.1", port, baseDir.resolve("snap-" + id))
        .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  GrpcPeerTransport start(TransportConfig config, RecordingHandler handler) {
    GrpcPeerTransport t = new GrpcPeerTransport(config);
    started.add(t);
    t.start(handler);
    return t;
  }

  static String address(GrpcPeerTransport t) {
    return "127.0.0.1:" + t.port();
  }

  /** Points every transport at all the others. */
  static void connectAll(Map<Long, GrpcPeerTransport> nodes) {
    Map<Long, String> addresses = new HashMap<>();
    nodes.forEach((id, t) -> addresses.put(id, address(t)));
    nodes.values().forEach(t -> t.updatePeers(addresses));
  }

  /** A loopback port with nothing listening on it (bound once, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (GrpcPeerTransport t : started) t.close();
  }
}
