package io.raftkv.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context a node's own HTTP clients use towards other members' https API (docs/security.md):
 * it trusts exactly the cluster CA, {@code raftkv.peer.tls.ca} ({@link NodeConfig#PEER_TLS_CA}). Used
 * by the join requests (boot.ClusterJoin) and by {@code GET /cluster/status} (api.cluster).
 */
public final class ClusterCa {

  private ClusterCa() {}

  /**
   * A context trusting the certificates of the PEM file (several may be concatenated, e.g. while the
   * CA is rotated); the JVM's default context when no file is given.
   *
   * @throws IllegalStateException the file cannot be read or holds no certificate
   */
  public static SSLContext trusting(Optional<Path> caPem) {
    if (caPem.isEmpty()) {
      try {
        return SSLContext.getDefault();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no default TLS context: " + e, e);
      }
    }
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int n = 0;
      try (InputStream in = Files.newInputStream(caPem.get())) {
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          trust.setCertificateEntry("ca-" + n++, c);
        }
      }
      if (n == 0) throw new IllegalStateException("no certificate in " + caPem.get());
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + caPem.get() + ": " + e, e);
    }
  }
}
