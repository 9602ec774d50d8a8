package io.raftkv.transport;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.raftkv.raft.Message;
import io.raftkv.transport.proto.ForwardReply;
import io.raftkv.transport.proto.ForwardRequest;
import io.raftkv.transport.proto.RaftBatch;
import io.raftkv.transport.proto.RaftMessage;
import io.raftkv.transport.proto.RaftPeerGrpc;
import io.raftkv.transport.proto.SnapshotAck;
import io.raftkv.transport.proto.SnapshotChunk;
import io.raftkv.transport.proto.SnapshotResumePoint;
import io.raftkv.transport.proto.SnapshotResumeQuery;
import io.raftkv.transport.proto.StreamAck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/** The server side of the peer protocol: routes inbound traffic to the node's {@link InboundHandler}. */
final class PeerService extends RaftPeerGrpc.RaftPeerImplBase {
  private static final Logger LOG = Logger.getLogger(PeerService.class.getName());

  private final long selfId;
  private final Path snapshotTempDir;
  private final InboundHandler handler;
  private final LongConsumer peerGreeted;
  private final PartialSnapshots partialSnapshots = new PartialSnapshots();

  /** {@code peerGreeted} hears of each new stream from a peer (its first batch names the sender). */
  PeerService(long selfId, Path snapshotTempDir, InboundHandler handler, LongConsumer peerGreeted) {
    this.selfId = selfId;
    this.snapshotTempDir = snapshotTempDir;
    this.handler = handler;
    this.peerGreeted = peerGreeted;
  }

  @Override
  public StreamObserver<RaftBatch> stream(StreamObserver<StreamAck> responses) {
    return new InboundStream(responses);
  }

  @Override
  public StreamObserver<SnapshotChunk> installSnapshot(StreamObserver<SnapshotAck> responses) {
    return new SnapshotReceiver(selfId, snapshotTempDir, handler, partialSnapshots, responses);
  }

  @Override
  public void snapshotResume(SnapshotResumeQuery query, StreamObserver<SnapshotResumePoint> responses) {
    long offset = partialSnapshots.resumePoint(new PartialSnapshots.Key(query.getSenderId(), query.getIndex(),
        query.getTerm(), query.getFileBytes()));
    responses.onNext(SnapshotResumePoint.newBuilder().setOffset(offset).build());
    responses.onCompleted();
  }

  @Override
  public void forward(ForwardRequest request, StreamObserver<ForwardReply> responses) {
    ServerCallStreamObserver<ForwardReply> call = (ServerCallStreamObserver<ForwardReply>) responses;
    // The requester gave up (deadline): the command may still complete here, nobody needs the answer.
    call.setOnCancelHandler(() -> { });
    CompletableFuture<byte[]> reply;
    try {
      reply = handler.onForward(request.getPayload().toByteArray());
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((bytes, error) -> {
      if (call.isCancelled()) return;
      if (error != null) {
        call.onError(Status.INTERNAL.withDescription(describe(error)).withCause(error).asRuntimeException());
      } else {
        byte[] payload = bytes == null ? new byte[0] : bytes;
        call.onNext(ForwardReply.newBuilder().setPayload(ByteString.copyFrom(payload)).build());
        call.onCompleted();
      }
    });
  }

  private static String describe(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /** One sender's long-lived message stream. Messages are delivered in the order they were sent. */
  private final class InboundStream implements StreamObserver<RaftBatch> {
    private final StreamObserver<StreamAck> responses;
    private boolean failed;
    private boolean greeted;

    InboundStream(StreamObserver<StreamAck> responses) {
      this.responses = responses;
    }

    @Override
    public void onNext(RaftBatch batch) {
      if (failed) return;
      List<Message> messages;
      try {
        messages = decode(batch);
      } catch (IllegalArgumentException e) {
        // A peer speaking a different protocol: refuse the stream so the sender notices.
        failed = true;
        LOG.warning(() -> "rejecting stream from " + batch.getSenderId() + ": " + e.getMessage());
        responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
      if (!greeted) {
        greeted = true;
        peerGreeted.accept(batch.getSenderId());
      }
      for (Message m : messages) handler.onMessage(m);
    }

    @Override
    public void onError(Throwable t) {
      LOG.fine(() -> "inbound stream ended: " + t);
    }

    @Override
    public void onCompleted() {
      if (failed) return;
      responses.onNext(StreamAck.newBuilder().setReceiverId(selfId).build());
      responses.onCompleted();
    }

    /** Decodes the whole batch first so a bad message rejects the batch before any is delivered. */
    private List<Message> decode(RaftBatch batch) {
      List<Message> messages = new ArrayList<>(batch.getMessagesCount());
      for (RaftMessage p : batch.getMessagesList()) {
        Message m = MessageCodec.fromProto(p);
        if (m.to() != selfId || m.from() != batch.getSenderId()) {
          throw new IllegalArgumentException("message " + m + " does not go from sender "
              + batch.getSenderId() + " to node " + selfId);
        }
        messages.add(m);
      }
      return messages;
    }
  }
}
