package io.raftkv.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and node certificates for tests of mutual TLS, made by the same script the
 * operators use (bin/lib/peer-certs.sh): CA {@code name} lives in {@code dir/name/}, its node
 * certificates carry 127.0.0.1 as subject alternative name.
 */
final class TestCertificates {
  private final Path dir;

  TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Creates CA {@code name} ({@code dir/name/ca.pem}, {@code ca.key}). */
  void authority(String name) throws IOException, InterruptedException {
    peerCerts(name);
  }

  /** A certificate for {@code node} signed by CA {@code ca}, trusting only CA {@code trustedCa}. */
  PeerTls node(String node, String ca, String trustedCa) throws IOException, InterruptedException {
    peerCerts(ca, node + "=127.0.0.1");
    Path caDir = dir.resolve(ca);
    return new PeerTls(caDir.resolve("node-" + node + ".pem"), caDir.resolve("node-" + node + ".key"),
        dir.resolve(trustedCa).resolve("ca.pem"));
  }

  private void peerCerts(String ca, String... nodes) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of("bin", "lib", "peer-certs.sh").toAbsolutePath().toString(), dir.resolve(ca).toString()));
    command.addAll(List.of(nodes));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("peer-certs.sh " + String.join(" ", nodes) + " failed: " + output);
    }
  }
}
