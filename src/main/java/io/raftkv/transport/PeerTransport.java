package io.raftkv.transport;

import io.raftkv.raft.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Node-to-node communication. Implementations never block the caller (the Raft loop): each peer has a
 * bounded send queue and a message that does not fit is dropped (Raft retransmits) and reported through
 * {@link InboundHandler#onUnreachable(long)}.
 */
public interface PeerTransport extends AutoCloseable {

  /** Starts serving the peer port and routing inbound traffic to {@code handler}. */
  void start(InboundHandler handler);

  /** Sets the peers to talk to (id → "host:port"); connections to removed peers are closed. */
  void updatePeers(Map<Long, String> peers);

  /** Queues a Raft message for {@code m.to()}. Never blocks. */
  void send(Message m);

  /**
   * Streams a snapshot file to {@code m.to()} in chunks, followed by the SNAPSHOT message {@code m}.
   * {@code done} receives true once the receiver has stored it and stepped the message, false on failure.
   */
  void sendSnapshot(Message m, Path snapshotFile, Consumer<Boolean> done);

  /** Forwards an opaque client request to {@code leader}; the future fails on timeout or transport error. */
  CompletableFuture<byte[]> forward(long leader, byte[] request, Duration timeout);

  @Override
  void close();
}
