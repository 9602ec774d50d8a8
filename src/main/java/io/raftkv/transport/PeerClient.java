package io.raftkv.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.raftkv.raft.Message;
import io.raftkv.transport.PeerUnavailableException.Reason;
import io.raftkv.transport.proto.ForwardReply;
import io.raftkv.transport.proto.ForwardRequest;
import io.raftkv.transport.proto.RaftPeerGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** Everything this node holds for talking to one peer: channel, send queue, stream sender. */
final class PeerClient {
  private final long selfId;
  private final long peerId;
  private final String address;
  private final TransportConfig config;
  private final ManagedChannel channel;
  private final RaftPeerGrpc.RaftPeerStub stub;
  private final OutboundQueue queue;
  private final PeerStreamSender sender;

  PeerClient(TransportConfig config, long peerId, String address, LongConsumer unreachable) {
    this.selfId = config.selfId();
    this.peerId = peerId;
    this.address = address;
    this.config = config;
    this.channel = PeerChannels.openChannel(config, PeerAddress.parse(address));
    this.stub = RaftPeerGrpc.newStub(channel);
    this.queue = new OutboundQueue(config.peerQueueMessages(), config.peerQueueBytes());
    this.sender = new PeerStreamSender(selfId, peerId, channel, queue, config.maxMessageBytes(),
        new Backoff(config.reconnectMin(), config.reconnectMax()), unreachable);
    sender.start();
  }

  String address() {
    return address;
  }

  /** Queues {@code m} for the stream; false when the queue is full. */
  boolean enqueue(Message m) {
    return queue.offer(m);
  }

  /** The peer reached us: a reconnect back-off in progress ends now. */
  void peerIsBack() {
    sender.peerIsBack();
  }

  /** Blocks the calling (snapshot) thread until the transfer is acknowledged or failed. */
  boolean sendSnapshot(Message m, Path file) {
    return new SnapshotSender(selfId, stub, config.snapshotChunkBytes(), config.snapshotTimeout())
        .send(m, file);
  }

  CompletableFuture<byte[]> forward(byte[] request, Duration timeout) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ForwardRequest req = ForwardRequest.newBuilder()
        .setSenderId(selfId)
        .setPayload(UnsafeByteOperations.unsafeWrap(request))
        .build();
    stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).forward(req,
        new StreamObserver<>() {
          @Override
          public void onNext(ForwardReply reply) {
            result.complete(reply.getPayload().toByteArray());
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(translate(t));
          }

          @Override
          public void onCompleted() {
            result.completeExceptionally(new ForwardFailedException(peerId, "no reply", null));
          }
        });
    return result;
  }

  private RuntimeException translate(Throwable t) {
    Status status = t instanceof StatusRuntimeException sre ? sre.getStatus() : Status.fromThrowable(t);
    String detail = status.getDescription();
    return switch (status.getCode()) {
      case DEADLINE_EXCEEDED -> new PeerUnavailableException(peerId, Reason.TIMEOUT, detail, t);
      case UNAVAILABLE -> new PeerUnavailableException(peerId, Reason.UNREACHABLE, detail, t);
      // A peer closing its server (shutdownNow) or this channel closing cancels calls it may have run.
      case CANCELLED -> new PeerUnavailableException(peerId, Reason.CANCELLED, detail, t);
      default -> new ForwardFailedException(peerId, status.getCode() + ": " + detail, t);
    };
  }

  /** Stops the sender, drops queued messages and cancels all calls; does not wait for any of it. */
  void shutdown() {
    sender.stop();
    queue.clear();
    channel.shutdownNow();
  }

  /** Waits until {@link #shutdown()} has taken effect or {@code deadlineNanos} (System.nanoTime) passes. */
  void awaitTermination(long deadlineNanos) throws InterruptedException {
    sender.awaitStopped(Math.max(0, deadlineNanos - System.nanoTime()));
    channel.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
  }
}
