package io.raftkv.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and node certificates made with the {@code openssl} command (as
 * bin/raftkv-cluster --secure does) for tests of mutual TLS: keys in PKCS#8 PEM, node certificates
 * with the loopback address as subject alternative name.
 */
final class TestCertificates {
  private final Path dir;

  TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Creates a self-signed CA named {@code name}: {@code name-ca.pem} and {@code name-ca.key}. */
  void authority(String name) throws IOException, InterruptedException {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + "-ca.key", "-out", name + "-ca.pem", "-days", "2", "-subj", "/CN=" + name + " CA");
  }

  /** A certificate for {@code node} signed by CA {@code ca}, valid for 127.0.0.1 and localhost. */
  PeerTls node(String node, String ca, String trustedCa) throws IOException, InterruptedException {
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", node + ".key", "-out", node + ".csr", "-subj", "/CN=" + node);
    Files.writeString(dir.resolve(node + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    openssl("x509", "-req", "-in", node + ".csr", "-CA", ca + "-ca.pem", "-CAkey", ca + "-ca.key",
        "-CAcreateserial", "-out", node + ".pem", "-days", "2", "-extfile", node + ".ext");
    return new PeerTls(dir.resolve(node + ".pem"), dir.resolve(node + ".key"), dir.resolve(trustedCa + "-ca.pem"));
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + output);
    }
  }
}
