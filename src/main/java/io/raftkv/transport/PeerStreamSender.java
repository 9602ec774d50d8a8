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
 * reported as unreachable and reopened after an exponential back-off, which ends early when the peer
 * shows it is back ({@link #peerIsBack}). Every new stream opens with an empty batch, a greeting
 * that lets the peer do the same for its own stream to us: a restarted node hears from the leader
 * as soon as it connects, not when the leader's back-off (up to seconds) runs out.
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
  private final Object wakeups = new Object();
  /** Greetings received from the peer; a change during a back-off ends it. Guarded by wakeups. */
  private long greetings;
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

  /** The peer opened a stream to us: if we are waiting to reconnect to it, reconnect now. */
  void peerIsBack() {
    synchronized (wakeups) {
      greetings++;
      wakeups.notifyAll();
    }
  }

  void awaitStopped(long timeoutNanos) throws InterruptedException {
    TimeUnit.NANOSECONDS.timedJoin(thread, timeoutNanos);
  }

  private void run() {
    try {
      while (!closed) {
        long greetingsBefore = greetingCount();
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
        awaitBackOffOrGreeting(backoff.next().toMillis(), greetingsBefore);
        // The channel has its own (much longer) reconnect back-off; ours is the one that should rule.
        channel.resetConnectBackoff();
      }
    } catch (InterruptedException e) {
      // close() interrupts us: just exit.
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "stream sender to peer " + peerId + " died", e);
    }
  }

  private long greetingCount() {
    synchronized (wakeups) {
      return greetings;
    }
  }

  /**
   * Sleeps for the back-off unless the peer greets us (a greeting since {@code greetingsBefore}, even
   * one that came while the broken stream was being noticed, counts): then the back-off starts over.
   */
  private void awaitBackOffOrGreeting(long millis, long greetingsBefore) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (wakeups) {
      long left;
      while (greetings == greetingsBefore && !closed && (left = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(wakeups, left);
      }
      if (greetings != greetingsBefore) backoff.reset();
    }
  }

  /** Writes batches into {@code call} until it breaks or the sender is closed. */
  private void pump(FlowControlledCall<RaftBatch, StreamAck> call) throws InterruptedException {
    // Half of the receiver's limit: batch sizes are estimates, the encoded size is checked below.
    long maxBatchBytes = maxMessageBytes / 2;
    call.send(RaftBatch.newBuilder().setSenderId(selfId).build()); // the greeting
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
