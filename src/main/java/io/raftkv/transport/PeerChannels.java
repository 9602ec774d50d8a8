package io.raftkv.transport;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.raftkv.transport.proto.RaftPeerGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** Builds the gRPC server and per-peer channels with the transport's limits and keepalive settings. */
final class PeerChannels {

  private PeerChannels() {}

  static ManagedChannel openChannel(TransportConfig config, PeerAddress peer) {
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress(peer.host(), peer.port());
    if (config.tls().isPresent()) {
      builder.sslContext(sslContext(config.tls().get(), false));
    } else {
      builder.usePlaintext();
    }
    builder.keepAliveTime(config.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(config.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(config.maxMessageBytes());
    config.sourceAddress().ifPresent(source -> builder.localSocketPicker(new FixedSourceAddress(source)));
    return builder.build();
  }

  static Server startServer(TransportConfig config, PeerService service) throws IOException {
    long keepAlive = config.keepAliveTime().toMillis();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindHost(), config.bindPort()));
    if (config.tls().isPresent()) builder.sslContext(sslContext(config.tls().get(), true));
    return builder
        .addService(service)
        .callExecutor(PeerChannels::inboundExecutor)
        .maxInboundMessageSize(config.maxMessageBytes())
        // Peers ping every keepAliveTime even when idle; a stricter server would cut them off.
        .permitKeepAliveTime(Math.max(1, keepAlive / 2), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build()
        .start();
  }

  private static SslContext sslContext(PeerTls tls, boolean server) {
    try {
      return server ? tls.serverContext() : tls.clientContext();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot load the peer TLS files (" + tls.certChain() + ", "
          + tls.privateKey() + ", " + tls.trustedCa() + "): " + e.getMessage(), e);
    }
  }

  /**
   * The Raft message stream's handler only decodes a batch and queues its messages for the Raft loop
   * (never blocks), so it runs on the Netty event loop that read it: one thread hand-off less per
   * received batch (two per replicated write: the append at the follower, the answer at the leader).
   * Snapshot chunks (file writes, fsync) and forwarded writes keep gRPC's default executor.
   */
  private static Executor inboundExecutor(ServerCall<?, ?> call, Metadata headers) {
    return RaftPeerGrpc.getStreamMethod().getFullMethodName().equals(call.getMethodDescriptor().getFullMethodName())
        ? MoreExecutors.directExecutor() : null;
  }

  /** Makes outgoing connections originate from one local address (port chosen by the OS). */
  private static final class FixedSourceAddress extends NettyChannelBuilder.LocalSocketPicker {
    private final InetSocketAddress local;

    FixedSourceAddress(String host) {
      this.local = new InetSocketAddress(host, 0);
      if (local.isUnresolved()) throw new IllegalArgumentException("cannot resolve source address " + host);
    }

    @Override
    public SocketAddress createSocketAddress(SocketAddress remoteAddress, Attributes attrs) {
      return local;
    }
  }
}
