package io.raftkv.transport;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.transport.proto.SnapshotAck;
import io.raftkv.transport.proto.SnapshotChunk;
import io.raftkv.transport.proto.SnapshotHeader;
import io.raftkv.transport.proto.SnapshotTrailer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Server side of one InstallSnapshot call: writes the chunks to a temp file and hands the file to
 * {@link InboundHandler#onSnapshot} only after the trailer's size and CRC32C match and the sender has
 * finished the call. A transfer the sender aborted (cancelled, deadline) leaves its forced prefix in
 * {@link PartialSnapshots} when the header named the file size, so the sender can resume from there
 * (header {@code offset}); anything else (bad order, mismatch) deletes the file.
 */
final class SnapshotReceiver implements StreamObserver<SnapshotChunk> {
  private static final Logger LOG = Logger.getLogger(SnapshotReceiver.class.getName());
  static final String TEMP_PREFIX = "incoming-snapshot-";
  static final String TEMP_SUFFIX = ".part";

  private final long selfId;
  private final Path tempDir;
  private final InboundHandler handler;
  private final StreamObserver<SnapshotAck> responses;
  private final PartialSnapshots partials;
  private final CRC32C crc = new CRC32C();
  private PartialSnapshots.Key key;
  private Message message;
  private Path tempFile;
  private FileChannel out;
  private long received;
  private boolean verified;
  private boolean finished;

  SnapshotReceiver(long selfId, Path tempDir, InboundHandler handler, PartialSnapshots partials,
      StreamObserver<SnapshotAck> responses) {
    this.selfId = selfId;
    this.tempDir = tempDir;
    this.handler = handler;
    this.partials = partials;
    this.responses = responses;
  }

  @Override
  public void onNext(SnapshotChunk chunk) {
    if (finished) return;
    try {
      switch (chunk.getPartCase()) {
        case HEADER -> begin(chunk.getHeader());
        case DATA -> append(chunk.getData().asReadOnlyByteBuffer());
        case TRAILER -> verify(chunk.getTrailer());
        default -> throw new SnapshotRejected(Status.INVALID_ARGUMENT, "empty snapshot chunk");
      }
    } catch (SnapshotRejected e) {
      fail(e.status.withDescription(e.getMessage()));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot store incoming snapshot", e);
      fail(Status.INTERNAL.withDescription("receiver could not store the snapshot: " + e));
    }
  }

  @Override
  public void onError(Throwable t) {
    if (finished) return;
    finished = true;
    LOG.fine(() -> "incoming snapshot aborted by sender: " + t);
    if (!keepForResume()) discard();
  }

  /** Keeps what arrived of a file whose size the sender named, forced to disk, for a resumed transfer. */
  private boolean keepForResume() {
    if (key == null || key.fileBytes() == 0 || received == 0 || verified || out == null) return false;
    try {
      out.force(true);
      out.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot keep partial snapshot", e);
      return false;
    }
    partials.keep(new PartialSnapshots.Partial(key, tempFile, received));
    return true;
  }

  @Override
  public void onCompleted() {
    if (finished) return;
    if (!verified) {
      fail(Status.DATA_LOSS.withDescription("snapshot ended before its trailer after " + received + " bytes"));
      return;
    }
    finished = true;
    try {
      handler.onSnapshot(message, tempFile);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "snapshot handler failed", e);
      deleteQuietly(tempFile);
      responses.onError(Status.INTERNAL.withDescription("snapshot handler failed: " + e).asRuntimeException());
      return;
    }
    responses.onNext(SnapshotAck.newBuilder().setBytesReceived(received).build());
    responses.onCompleted();
  }

  private void begin(SnapshotHeader header) throws IOException, SnapshotRejected {
    if (message != null) throw new SnapshotRejected(Status.INVALID_ARGUMENT, "second snapshot header");
    Message m;
    try {
      m = MessageCodec.fromProto(header.getMessage());
    } catch (IllegalArgumentException e) {
      throw new SnapshotRejected(Status.INVALID_ARGUMENT, "bad snapshot message: " + e.getMessage());
    }
    if (m.type() != MessageType.SNAPSHOT || m.to() != selfId || m.from() != header.getSenderId()) {
      throw new SnapshotRejected(Status.INVALID_ARGUMENT, "header is not a SNAPSHOT for node " + selfId
          + " from sender " + header.getSenderId() + ": " + m);
    }
    message = m;
    key = new PartialSnapshots.Key(m.from(), m.snapshot().index(), m.snapshot().term(), header.getFileBytes());
    if (header.getOffset() > 0) {
      resume(header.getOffset());
      return;
    }
    partials.drop(m.from());
    tempFile = Files.createTempFile(tempDir, TEMP_PREFIX + m.from() + "-", TEMP_SUFFIX);
    out = FileChannel.open(tempFile, StandardOpenOption.WRITE);
  }

  /** Continues the kept partial file at {@code offset}; its bytes count towards the trailer's size and CRC. */
  private void resume(long offset) throws IOException, SnapshotRejected {
    PartialSnapshots.Partial partial = partials.take(key, offset);
    if (partial == null) {
      throw new SnapshotRejected(Status.FAILED_PRECONDITION, "no kept partial snapshot of " + offset
          + " bytes for " + key);
    }
    tempFile = partial.path();
    out = FileChannel.open(tempFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
    out.truncate(offset);
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long pos = 0;
    while (pos < offset) {
      buf.clear().limit((int) Math.min(buf.capacity(), offset - pos));
      int n = out.read(buf, pos);
      if (n < 0) throw new SnapshotRejected(Status.FAILED_PRECONDITION, "kept partial snapshot is short");
      buf.flip();
      crc.update(buf);
      pos += n;
    }
    out.position(offset);
    received = offset;
  }

  private void append(ByteBuffer data) throws IOException, SnapshotRejected {
    if (message == null) throw new SnapshotRejected(Status.INVALID_ARGUMENT, "data before header");
    if (verified) throw new SnapshotRejected(Status.INVALID_ARGUMENT, "data after trailer");
    crc.update(data.duplicate());
    while (data.hasRemaining()) received += out.write(data);
  }

  private void verify(SnapshotTrailer trailer) throws IOException, SnapshotRejected {
    if (message == null) throw new SnapshotRejected(Status.INVALID_ARGUMENT, "trailer before header");
    if (verified) throw new SnapshotRejected(Status.INVALID_ARGUMENT, "second trailer");
    if (trailer.getTotalBytes() != received) {
      throw new SnapshotRejected(Status.DATA_LOSS, "received " + received + " bytes, sender says "
          + trailer.getTotalBytes());
    }
    int actual = (int) crc.getValue();
    if (trailer.getCrc32C() != actual) {
      throw new SnapshotRejected(Status.DATA_LOSS, String.format("CRC32C mismatch: got %08x, sender says %08x",
          actual, trailer.getCrc32C()));
    }
    // Durable before anyone is told it exists.
    out.force(true);
    out.close();
    verified = true;
  }

  private void fail(Status status) {
    finished = true;
    LOG.warning(() -> "rejecting incoming snapshot: " + status);
    discard();
    responses.onError(status.asRuntimeException());
  }

  private void discard() {
    try {
      if (out != null) out.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing discarded snapshot", e);
    }
    deleteQuietly(tempFile);
  }

  private static void deleteQuietly(Path file) {
    if (file == null) return;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + file, e);
    }
  }

  /** A protocol violation or checksum failure, answered with {@code status}. */
  private static final class SnapshotRejected extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Status status;

    SnapshotRejected(Status status, String message) {
      super(message);
      this.status = status;
    }
  }
}
