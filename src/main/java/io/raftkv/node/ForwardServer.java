package io.raftkv.node;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The leader side of forwarding: executes a follower's request on this node (never forwarding it on,
 * so requests cannot loop) and encodes the outcome for the reply.
 */
final class ForwardServer {
  private final RaftLoop loop;
  private final MembershipManager membership;

  ForwardServer(RaftLoop loop, MembershipManager membership) {
    this.loop = loop;
    this.membership = membership;
  }

  CompletableFuture<byte[]> handle(byte[] frame) {
    CompletableFuture<byte[]> outcome;
    try {
      outcome = dispatch(ForwardCodec.decodeRequest(frame));
    } catch (IOException | RuntimeException e) {
      outcome = CompletableFuture.failedFuture(new NodeException.Rejected(
          io.raftkv.raft.ProposalRejectedException.Reason.INVALID, "malformed forwarded request: " + e.getMessage()));
    }
    return outcome.handle((result, error) -> error == null ? ForwardCodec.ok(result) : ForwardCodec.error(error));
  }

  private CompletableFuture<byte[]> dispatch(ForwardCodec.Request r) throws IOException {
    DataInputStream args = new DataInputStream(new ByteArrayInputStream(r.payload()));
    return switch (r.kind()) {
      case PROPOSE -> loop.proposeLocal(r.payload());
      case ADD_MEMBER -> {
        long id = args.readLong();
        String peer = args.readUTF();
        String http = args.readUTF();
        yield membership.addAsLeader(id, peer, http.isEmpty() ? null : http).thenApply(v -> new byte[0]);
      }
      case REMOVE_MEMBER -> membership.removeAsLeader(args.readLong()).thenApply(v -> new byte[0]);
      case TRANSFER -> membership.transferAsLeader(args.readLong()).thenApply(v -> new byte[0]);
    };
  }
}
