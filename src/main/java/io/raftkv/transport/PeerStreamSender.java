package io.raftkv.transport;

import io.grpc.ManagedChannel;
import io.raftkv.raft.Message;
import io.raftkv.transport.proto.RaftBatch;
import io.raftkv.transport.proto.RaftPeerGrpc;
import io.raftkv.transport.proto.StreamAck;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the long-lived Raft message stream to one peer: a dedicated thread drains the peer's
 * {@link OutboundQueue} into batches and writes them when the stream is ready; a broken stream is
 * reported as unreachable and reopened after an exponential back-off.
 */
final class PeerStreamSender {
  private static final Logger LOG = Logger.getLogger(PeerStreamSender.class.getName());
  /** How often a waiting sender wakes up to notice a closed transport or a broken stream. */
  private static final long POLL_MILLIS = 100;

  private final long selfId;
  private final long peerId;
  private final ManagedChannel channel;
  private final RaftPeerGrpc.RaftPeerStub stub;
  private final OutboundQueue queue;
  private final int maxMessageBytes;
  private final Backoff backoff;
  private final LongConsumer unreachable;
  private final Thread thread;
  private volatile boolean closed;

  PeerStreamSender(long selfId, long peerId, ManagedChannel channel, OutboundQueue queue,
      int maxMessageBytes, Backoff backoff, LongConsumer unreachable) {
    this.selfId = selfId;
    this.peerId = peerId;
    this.channel = channel;
    this.stub = RaftPeerGrpc.newStub(channel);
    this.queue = queue;
    this.maxMessageBytes = maxMessageBytes;
    this.backoff = backoff;
    this.unreachable = unreachable;
    this.thread = new Thread(this::run, "raftkv-peer-" + selfId + "-to-" + peerId);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Asks the sender thread to exit (it cancels its stream on the way out); does not wait. */
  void stop() {
    closed = true;
    thread.interrupt();
  }

  void awaitStopped(long timeoutNanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.timedJoin(thread, timeoutNanos);
  }

  private void run() {
    try {
      while (!closed) {
        FlowControlledCall<RaftBatch, StreamAck> call = new FlowControlledCall<>();
        stub.stream(call);
        try {
          pump(call);
        } finally {
          call.cancel("stream sender stopped");
        }
        if (closed) break;
        LOG.log(Level.FINE, () -> "stream to peer " + peerId + " broke: " + failureOf(call));
        unreachable.accept(peerId);
        Thread.sleep(backoff.next().toMillis());
        // The channel has its own (much longer) reconnect back-off; ours is the one that should rule.
        channel.resetConnectBackoff();
      }
    } catch (InterruptedException e) {
      // close() interrupts us: just exit.
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "stream sender to peer " + peerId + " died", e);
    }
  }

  /** Writes batches into {@code call} until it breaks or the sender is closed. */
  private void pump(FlowControlledCall<RaftBatch, StreamAck> call) throws InterruptedException {
    // Half of the receiver's limit: batch sizes are estimates, the encoded size is checked below.
    long maxBatchBytes = maxMessageBytes / 2;
    while (!closed) {
      // Wait for readiness before taking messages, so that while the peer is slow or away they stay
      // in the bounded queue, where overflow is dropped and reported at send() time.
      if (!call.awaitReady(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        if (call.isTerminated()) return;
        continue;
      }
      List<Message> batch = queue.pollBatch(maxBatchBytes, POLL_MILLIS, TimeUnit.MILLISECONDS);
      if (batch.isEmpty()) continue;
      RaftBatch encoded = encode(batch);
      if (encoded.getSerializedSize() > maxMessageBytes) {
        LOG.warning(() -> "dropping " + batch.size() + " message(s) to peer " + peerId + ": "
            + encoded.getSerializedSize() + " bytes exceed the " + maxMessageBytes + "-byte limit");
        unreachable.accept(peerId);
        continue;
      }
      call.send(encoded);
      backoff.reset();
    }
  }

  private RaftBatch encode(List<Message> batch) {
    RaftBatch.Builder b = RaftBatch.newBuilder().setSenderId(selfId);
    for (Message m : batch) b.addMessages(MessageCodec.toProto(m));
    return b.build();
  }

  private static String failureOf(FlowControlledCall<?, ?> call) {
    return call.response().handle((ok, err) -> err == null ? "completed by receiver" : err.toString())
        .getNow("still running");
  }
}
