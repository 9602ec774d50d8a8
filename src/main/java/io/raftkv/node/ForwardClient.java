package io.raftkv.node;

import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.PeerUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The follower side of forwarding: sends a request to the leader over the transport's unary RPC and
 * turns the reply back into a result or the same {@link NodeException} the leader raised. A reply
 * saying "not the leader, try N" is followed once (nothing was proposed by that node).
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

  CompletableFuture<byte[]> propose(long leader, byte[] command) {
    return send(leader, ForwardCodec.request(ForwardCodec.Kind.PROPOSE, command), true, timeout, MAX_HOPS);
  }

  /**
   * Forwards a membership or transfer request, which may run on the leader for up to {@code runTime}
   * (a new member catching up); its failures are not "outcome unknown" writes.
   */
  CompletableFuture<byte[]> admin(long leader, ForwardCodec.Kind kind, byte[] args, Duration runTime) {
    return send(leader, ForwardCodec.request(kind, args), false, runTime.plus(timeout), MAX_HOPS);
  }

  private CompletableFuture<byte[]> send(long leader, byte[] frame, boolean isWrite, Duration wait, int hopsLeft) {
    CompletableFuture<byte[]> sent;
    try {
      sent = transport.forward(leader, frame, wait);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((reply, error) -> {
      if (error != null) throw transportFailure(leader, isWrite, NodeException.unwrap(error));
      return reply;
    }).thenCompose(reply -> {
      try {
        return CompletableFuture.completedFuture(ForwardCodec.decodeReply(reply));
      } catch (NodeException.NotLeader nl) {
        if (hopsLeft > 1 && nl.leaderHint() != 0 && nl.leaderHint() != leader) {
          return send(nl.leaderHint(), frame, isWrite, wait, hopsLeft - 1);
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
