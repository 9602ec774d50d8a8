package io.raftkv.cluster;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where one node of a test cluster lives: its own loopback address (so iptables can single it out),
 * its ports, its data directory and its log file. A restarted node reuses the same spec.
 */
record NodeSpec(int id, String host, int httpPort, int raftPort, Path dataDir, Path logFile) {

  String httpAddress() {
    return host + ":" + httpPort;
  }

  String peerAddress() {
    return host + ":" + raftPort;
  }

  /** {@code id@host:raftPort}, the form {@code --peers} takes. */
  String peerEntry() {
    return id + "@" + peerAddress();
  }

  URI baseUri() {
    return URI.create("http://" + httpAddress() + "/");
  }

  Path pidFile() {
    return dataDir.resolve("pid");
  }
}
