package io.raftkv.node;

import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.PeerUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The follower side of forwarding: sends a request to the leader over the transport's unary RPC and
 * turns the reply back into a result or the same {@link NodeException} the leader raised. Writes go
 * once per call ({@link #proposeVia}; {@link WriteRouter} decides about sending again); for
 * membership and transfer requests a reply saying "not the leader, try N" is followed once (nothing
 * was proposed by that node).
 */
final class ForwardClient {
  private static final int MAX_HOPS = 2;
  /** Extra wait beyond the leader's own request timeout, so its verdict usually arrives first. */
  private static final long MARGIN_MS = 1_000;

  private final PeerTransport transport;
  private final Duration timeout;

  ForwardClient(PeerTransport transport, int requestTimeoutMs) {
    this.transport = transport;
    this.timeout = Duration.ofMillis(requestTimeoutMs + MARGIN_MS);
  }

  /**
   * Forwards a write once, waiting at most {@code wait} (plus the margin) for the leader's answer. The
   * leader's own verdict fails the future as a {@link NodeException}; a leader that could not be
   * reached (crashed, connection reset) fails it with {@link Unreachable}, so that {@link WriteRouter}
   * may send the write to the next leader.
   */
  CompletableFuture<byte[]> proposeVia(long leader, byte[] command, Duration wait) {
    byte[] frame = ForwardCodec.request(ForwardCodec.Kind.PROPOSE, command);
    CompletableFuture<byte[]> sent;
    try {
      sent = transport.forward(leader, frame, wait.plusMillis(MARGIN_MS));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      if (error != null) throw new Unreachable(transportFailure(leader, true, NodeException.unwrap(error)));
      return ForwardCodec.decodeReply(reply);
    });
  }

  /** The leader could not be reached; {@link #verdict()} is what the client is told if no retry helps. */
  static final class Unreachable extends RuntimeException {
    private final NodeException verdict;

    Unreachable(NodeException verdict) {
      super(verdict.getMessage(), null, false, false);
      this.verdict = verdict;
    }

    NodeException verdict() {
      return verdict;
    }
  }

  /**
   * Forwards a membership or transfer request, which may run on the leader for up to {@code runTime}
   * (a new member catching up); its failures are not "outcome unknown" writes.
   */
  CompletableFuture<byte[]> admin(long leader, ForwardCodec.Kind kind, byte[] args, Duration runTime) {
    return send(leader, ForwardCodec.request(kind, args), runTime.plus(timeout), MAX_HOPS);
  }

  private CompletableFuture<byte[]> send(long leader, byte[] frame, Duration wait, int hopsLeft) {
    CompletableFuture<byte[]> sent;
    try {
      sent = transport.forward(leader, frame, wait);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      if (error != null) throw transportFailure(leader, false, NodeException.unwrap(error));
      return reply;
    }).thenCompose(reply -> {
      try {
        return CompletableFuture.completedFuture(ForwardCodec.decodeReply(reply));
      } catch (NodeException.NotLeader nl) {
        if (hopsLeft > 1 && nl.leaderHint() != 0 && nl.leaderHint() != leader) {
          return send(nl.leaderHint(), frame, wait, hopsLeft - 1);
        }
        return CompletableFuture.failedFuture(nl);
      }
    });
  }

  private static NodeException transportFailure(long leader, boolean isWrite, Throwable cause) {
    String what = "forwarding to leader " + leader + " failed: " + cause.getMessage();
    if (cause instanceof PeerUnavailableException p
        && (p.reason() == PeerUnavailableException.Reason.UNKNOWN_PEER || p.reason() == PeerUnavailableException.Reason.CLOSED)) {
      return new NodeException.Unavailable(what, 1); // never left this node
    }
    // Otherwise the leader may have received and proposed the write before the failure showed here.
    return isWrite ? new NodeException.OutcomeUnknown(what + "; the write may or may not have been applied")
        : new NodeException.Unavailable(what, 1);
  }
}
