package io.raftkv.transport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of one node's {@link GrpcPeerTransport}.
 *
 * @param selfId               this node's Raft id (sent to peers so they know who is talking)
 * @param bindHost             address the peer server binds; must be explicit (e.g. {@code 0.0.0.0} or
 *                             {@code 127.0.0.2}) because gRPC on newer JDKs fails to bind {@code ::}
 * @param bindPort             peer server port; 0 picks a free port (see {@link GrpcPeerTransport#port()})
 * @param peerQueueMessages    per-peer send queue bound in messages
 * @param peerQueueBytes       per-peer send queue bound in (estimated) bytes
 * @param snapshotChunkBytes   size of one snapshot data chunk
 * @param maxMessageBytes      largest gRPC message accepted inbound; outbound batches stay below it
 * @param snapshotTempDir      where incoming snapshots are written until complete and verified; partial
 *                             files left by a crash are deleted at start, so the handler must move a
 *                             handed-over file elsewhere before relying on it across restarts
 * @param sourceAddress        local address outgoing connections bind to (isolating a node on
 *                             127.0.0.N with iptables needs its outgoing traffic to come from there)
 * @param reconnectMin         first back-off after a broken peer stream
 * @param reconnectMax         largest back-off between reconnect attempts
 * @param keepAliveTime        idle time before the channel pings a peer to detect a dead connection
 * @param keepAliveTimeout     how long a ping may go unanswered before the connection is dropped
 * @param snapshotTimeout      deadline for one whole snapshot transfer
 * @param shutdownTimeout      how long {@link GrpcPeerTransport#close()} waits for calls to finish
 * @param tls                  mutual TLS on the peer port; empty: plaintext (docs/security.md)
 */
public record TransportConfig(
    long selfId,
    String bindHost,
    int bindPort,
    int peerQueueMessages,
    long peerQueueBytes,
    int snapshotChunkBytes,
    int maxMessageBytes,
    Path snapshotTempDir,
    Optional<String> sourceAddress,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration snapshotTimeout,
    Duration shutdownTimeout,
    Optional<PeerTls> tls) {

  public static final int DEFAULT_QUEUE_MESSAGES = 4096;
  public static final long DEFAULT_QUEUE_BYTES = 64L << 20;
  public static final int DEFAULT_CHUNK_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

  public TransportConfig {
    if (selfId <= 0) throw new IllegalArgumentException("selfId must be positive: " + selfId);
    Objects.requireNonNull(bindHost, "bindHost");
    if (bindPort < 0 || bindPort > 65535) throw new IllegalArgumentException("bad port " + bindPort);
    if (peerQueueMessages <= 0 || peerQueueBytes <= 0) {
      throw new IllegalArgumentException("peer queue bounds must be positive");
    }
    if (maxMessageBytes < 64 << 10) throw new IllegalArgumentException("maxMessageBytes below 64 KiB");
    if (snapshotChunkBytes <= 0 || snapshotChunkBytes > maxMessageBytes / 2) {
      throw new IllegalArgumentException("snapshotChunkBytes must be in (0, maxMessageBytes/2]");
    }
    Objects.requireNonNull(snapshotTempDir, "snapshotTempDir");
    sourceAddress = sourceAddress == null ? Optional.empty() : sourceAddress;
    requirePositive(reconnectMin, "reconnectMin");
    requirePositive(reconnectMax, "reconnectMax");
    if (reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("reconnectMax < reconnectMin");
    }
    requirePositive(keepAliveTime, "keepAliveTime");
    requirePositive(keepAliveTimeout, "keepAliveTimeout");
    requirePositive(snapshotTimeout, "snapshotTimeout");
    requirePositive(shutdownTimeout, "shutdownTimeout");
    tls = tls == null ? Optional.empty() : tls;
  }

  /** Production defaults: 4096 messages / 64 MiB per peer, 1 MiB chunks, 16 MiB messages. */
  public static TransportConfig defaults(long selfId, String bindHost, int bindPort, Path snapshotTempDir) {
    return new TransportConfig(selfId, bindHost, bindPort, DEFAULT_QUEUE_MESSAGES, DEFAULT_QUEUE_BYTES,
        DEFAULT_CHUNK_BYTES, DEFAULT_MAX_MESSAGE_BYTES, snapshotTempDir, Optional.empty(),
        Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofMinutes(10), Duration.ofSeconds(2), Optional.empty());
  }

  public TransportConfig withPeerQueue(int messages, long bytes) {
    return new TransportConfig(selfId, bindHost, bindPort, messages, bytes, snapshotChunkBytes,
        maxMessageBytes, snapshotTempDir, sourceAddress, reconnectMin, reconnectMax, keepAliveTime,
        keepAliveTimeout, snapshotTimeout, shutdownTimeout, tls);
  }

  public TransportConfig withSnapshotChunkBytes(int bytes) {
    return new TransportConfig(selfId, bindHost, bindPort, peerQueueMessages, peerQueueBytes, bytes,
        maxMessageBytes, snapshotTempDir, sourceAddress, reconnectMin, reconnectMax, keepAliveTime,
        keepAliveTimeout, snapshotTimeout, shutdownTimeout, tls);
  }

  public TransportConfig withMaxMessageBytes(int bytes) {
    return new TransportConfig(selfId, bindHost, bindPort, peerQueueMessages, peerQueueBytes,
        snapshotChunkBytes, bytes, snapshotTempDir, sourceAddress, reconnectMin, reconnectMax,
        keepAliveTime, keepAliveTimeout, snapshotTimeout, shutdownTimeout, tls);
  }

  public TransportConfig withSourceAddress(String address) {
    return new TransportConfig(selfId, bindHost, bindPort, peerQueueMessages, peerQueueBytes,
        snapshotChunkBytes, maxMessageBytes, snapshotTempDir, Optional.ofNullable(address),
        reconnectMin, reconnectMax, keepAliveTime, keepAliveTimeout, snapshotTimeout, shutdownTimeout, tls);
  }

  public TransportConfig withReconnect(Duration min, Duration max) {
    return new TransportConfig(selfId, bindHost, bindPort, peerQueueMessages, peerQueueBytes,
        snapshotChunkBytes, maxMessageBytes, snapshotTempDir, sourceAddress, min, max, keepAliveTime,
        keepAliveTimeout, snapshotTimeout, shutdownTimeout, tls);
  }

  public TransportConfig withSnapshotTimeout(Duration timeout) {
    return new TransportConfig(selfId, bindHost, bindPort, peerQueueMessages, peerQueueBytes,
        snapshotChunkBytes, maxMessageBytes, snapshotTempDir, sourceAddress, reconnectMin, reconnectMax,
        keepAliveTime, keepAliveTimeout, timeout, shutdownTimeout, tls);
  }

  public TransportConfig withTls(PeerTls peerTls) {
    return new TransportConfig(selfId, bindHost, bindPort, peerQueueMessages, peerQueueBytes,
        snapshotChunkBytes, maxMessageBytes, snapshotTempDir, sourceAddress, reconnectMin, reconnectMax,
        keepAliveTime, keepAliveTimeout, snapshotTimeout, shutdownTimeout, Optional.ofNullable(peerTls));
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
  }
}
