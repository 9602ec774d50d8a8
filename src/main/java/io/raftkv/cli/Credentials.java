package io.raftkv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the CLI needs for a secure cluster (docs/security.md): the bearer token sent with every request
 * and the TLS context that trusts the cluster's CA for https endpoints.
 */
final class Credentials {
  private Credentials() {}

  /**
   * The token from {@code --token} / {@code RAFTKV_TOKEN}: the token itself, or {@code @PATH} to read it
   * from a file (so it does not show in the process list). Null or blank: no token.
   */
  static String token(String option) {
    if (option == null || option.isBlank()) return null;
    String value = option.strip();
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1));
      try {
        value = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new CliException(ExitCodes.USAGE, "--token: cannot read " + file + " (" + e.getMessage() + ")");
      }
      if (value.isEmpty()) throw new CliException(ExitCodes.USAGE, "--token: " + file + " is empty");
    }
    if (value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new CliException(ExitCodes.USAGE, "--token: a token has no spaces or control characters");
    }
    return value;
  }

  /**
   * The JDK's default TLS context (the system trust store) without {@code --cacert}; with it, a context
   * that trusts exactly the certificates in that PEM file (the cluster CA; several may be concatenated).
   */
  static SSLContext tls(String caCertPath) {
    try {
      if (caCertPath == null || caCertPath.isBlank()) return SSLContext.getDefault();
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      try (InputStream in = Files.newInputStream(Path.of(caCertPath))) {
        for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("ca-" + n++, cert);
        }
      }
      if (n == 0) throw new CliException(ExitCodes.USAGE, "--cacert: no certificate in " + caCertPath);
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, "--cacert: cannot read " + caCertPath + " (" + e.getMessage() + ")");
    } catch (GeneralSecurityException e) {
      throw new CliException(ExitCodes.USAGE, "--cacert: " + caCertPath + " is not a PEM certificate ("
          + e.getMessage() + ")");
    }
  }
}
