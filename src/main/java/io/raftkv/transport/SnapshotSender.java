package io.raftkv.transport;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.StreamObserver;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.transport.proto.RaftPeerGrpc;
import io.raftkv.transport.proto.SnapshotAck;
import io.raftkv.transport.proto.SnapshotChunk;
import io.raftkv.transport.proto.SnapshotHeader;
import io.raftkv.transport.proto.SnapshotResumePoint;
import io.raftkv.transport.proto.SnapshotResumeQuery;
import io.raftkv.transport.proto.SnapshotTrailer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Streams one snapshot file to a peer: a header with the SNAPSHOT message, the file in chunks, and a
 * trailer with the byte count and CRC32C. Blocks its (dedicated) thread; at most about one chunk is
 * buffered at a time because each chunk waits for the call to be ready. First it asks the receiver how
 * much of this very file an earlier, aborted transfer left there, and resumes after it.
 */
final class SnapshotSender {
  private static final Logger LOG = Logger.getLogger(SnapshotSender.class.getName());

  private final long selfId;
  private final RaftPeerGrpc.RaftPeerStub stub;
  private final int chunkBytes;
  private final Duration timeout;
  /** Where the last {@link #send} started in the file (0 = from the beginning); for tests and logs. */
  private long resumedFrom;

  SnapshotSender(long selfId, RaftPeerGrpc.RaftPeerStub stub, int chunkBytes, Duration timeout) {
    this.selfId = selfId;
    this.stub = stub;
    this.chunkBytes = chunkBytes;
    this.timeout = timeout;
  }

  /** Sends {@code file} with {@code m}; returns true once the receiver acknowledged all of it. */
  boolean send(Message m, Path file) {
    if (m.type() != MessageType.SNAPSHOT) throw new IllegalArgumentException("not a SNAPSHOT: " + m);
    long deadline = System.nanoTime() + timeout.toNanos();
    long fileBytes;
    try {
      fileBytes = Files.size(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "snapshot " + m.snapshot().index() + " to peer " + m.to() + ": cannot read " + file, e);
      return false;
    }
    resumedFrom = resumePoint(m, fileBytes, deadline);
    FlowControlledCall<SnapshotChunk, SnapshotAck> call = new FlowControlledCall<>();
    stub.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).installSnapshot(call);
    try {
      long sent = stream(m, file, fileBytes, resumedFrom, call, deadline);
      SnapshotAck ack = call.response().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
      if (ack == null || ack.getBytesReceived() != sent) {
        LOG.warning(() -> "snapshot to peer " + m.to() + ": receiver acknowledged "
            + (ack == null ? "nothing" : ack.getBytesReceived() + " bytes") + " of " + sent);
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel("snapshot sender interrupted");
      return false;
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      LOG.log(Level.WARNING, "snapshot " + m.snapshot().index() + " to peer " + m.to() + " failed", e);
      call.cancel("snapshot transfer failed: " + e);
      return false;
    }
  }

  long resumedFrom() {
    return resumedFrom;
  }

  /** Bytes of this file the receiver kept from an aborted transfer; 0 when none or it cannot say. */
  private long resumePoint(Message m, long fileBytes, long deadline) {
    CompletableFuture<SnapshotResumePoint> answer = new CompletableFuture<>();
    SnapshotResumeQuery query = SnapshotResumeQuery.newBuilder().setSenderId(selfId)
        .setIndex(m.snapshot().index()).setTerm(m.snapshot().term()).setFileBytes(fileBytes).build();
    stub.withDeadlineAfter(Math.max(1, remainingNanos(deadline)), TimeUnit.NANOSECONDS)
        .snapshotResume(query, new StreamObserver<>() {
          @Override public void onNext(SnapshotResumePoint p) { answer.complete(p); }
          @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
          @Override public void onCompleted() { answer.complete(null); }
        });
    try {
      SnapshotResumePoint p = answer.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
      long offset = p == null ? 0 : p.getOffset();
      return offset > 0 && offset < fileBytes ? offset : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      LOG.fine(() -> "no resume point from peer " + m.to() + ": " + e);
      return 0;
    }
  }

  /** Writes header, chunks from {@code offset} and trailer; returns the file's length as the trailer counts it. */
  private long stream(Message m, Path file, long fileBytes, long offset,
      FlowControlledCall<SnapshotChunk, SnapshotAck> call, long deadline)
      throws IOException, InterruptedException, TimeoutException {
    awaitReady(call, deadline);
    call.send(SnapshotChunk.newBuilder()
        .setHeader(SnapshotHeader.newBuilder().setSenderId(selfId).setMessage(MessageCodec.toProto(m))
            .setFileBytes(fileBytes).setOffset(offset))
        .build());
    CRC32C crc = new CRC32C();
    long total = 0;
    try (InputStream in = Files.newInputStream(file)) {
      // The receiver has the prefix; the trailer's CRC still covers the whole file.
      while (total < offset) {
        byte[] prefix = in.readNBytes((int) Math.min(chunkBytes, offset - total));
        if (prefix.length == 0) throw new IOException("snapshot file shrank below " + offset + " bytes");
        crc.update(prefix);
        total += prefix.length;
      }
      while (true) {
        // A fresh array per chunk: gRPC may still hold the previous one while it serializes.
        byte[] chunk = in.readNBytes(chunkBytes);
        if (chunk.length == 0) break;
        crc.update(chunk);
        total += chunk.length;
        awaitReady(call, deadline);
        call.send(SnapshotChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(chunk)).build());
      }
    }
    awaitReady(call, deadline);
    call.send(SnapshotChunk.newBuilder()
        .setTrailer(SnapshotTrailer.newBuilder().setTotalBytes(total).setCrc32C((int) crc.getValue()))
        .build());
    call.halfClose();
    return total;
  }

  private static void awaitReady(FlowControlledCall<?, ?> call, long deadline)
      throws InterruptedException, TimeoutException, IOException {
    if (call.awaitReady(remainingNanos(deadline), TimeUnit.NANOSECONDS)) return;
    if (call.isTerminated()) {
      throw new IOException("receiver ended the transfer early: " + failureOf(call));
    }
    throw new TimeoutException("snapshot transfer did not finish within its deadline");
  }

  private static String failureOf(FlowControlledCall<?, ?> call) {
    return call.response().handle((ok, err) -> err == null ? "completed without error" : err.toString())
        .getNow("?");
  }

  private static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
