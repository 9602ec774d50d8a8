package io.raftkv.transport;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS on the peer port (docs/security.md): every node presents {@code certChain} (PEM, signed
 * by the cluster CA) with {@code privateKey} (PEM, PKCS#8) and accepts only peers whose certificate
 * chains to {@code trustedCa}. The server requires a client certificate, so a process without one
 * signed by the cluster CA cannot open a connection: no Raft message, forwarded write or snapshot
 * reaches the node from it. The client also checks the server's name against the address it dialled
 * (the node certificates carry the peer host as a subject alternative name), so a certificate stolen
 * from one node's host cannot stand in for another address.
 *
 * <p>The files are read when the transport starts: a new certificate takes effect at the node's next
 * start (rotate by a rolling restart).
 */
public record PeerTls(Path certChain, Path privateKey, Path trustedCa) {

  public PeerTls {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trustedCa, "trustedCa");
  }

  /** Problems with the files (missing, unreadable), one line each; empty when all can be read. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Path p : List.of(certChain, privateKey, trustedCa)) {
      if (!Files.isReadable(p)) problems.add("TLS file " + p + " does not exist or is not readable");
    }
    return problems;
  }

  SslContext serverContext() throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile()))
        .trustManager(trustedCa.toFile())
        .clientAuth(ClientAuth.REQUIRE)
        .build();
  }

  SslContext clientContext() throws SSLException {
    return GrpcSslContexts.forClient()
        .trustManager(trustedCa.toFile())
        .keyManager(certChain.toFile(), privateKey.toFile())
        .build();
  }
}
