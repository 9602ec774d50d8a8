package io.raftkv.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.transport.proto.RaftPeerGrpc;
import io.raftkv.transport.proto.SnapshotAck;
import io.raftkv.transport.proto.SnapshotChunk;
import io.raftkv.transport.proto.SnapshotHeader;
import io.raftkv.transport.proto.SnapshotTrailer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTransferTest {
  @TempDir Path dir;
  private TransportFixture fixture;
  private RecordingHandler receiverHandler;
  private GrpcPeerTransport receiver;
  private ManagedChannel rawChannel;

  @BeforeEach
  void setUp() {
    fixture = new TransportFixture(dir);
    receiverHandler = new RecordingHandler();
    receiver = fixture.start(fixture.config(2, 0).withSnapshotChunkBytes(256 << 10), receiverHandler);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (rawChannel != null) rawChannel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    fixture.close();
  }

  private static Message snapshotMessage() {
    return Message.builder(MessageType.SNAPSHOT, 1, 2, 7)
        .snapshot(new SnapshotMeta(1234, 6, new ConfState(java.util.Set.of(1L, 2L, 3L), java.util.Set.of(4L))))
        .build();
  }

  private Path tempDirOfReceiver() {
    return dir.resolve("snap-2");
  }

  @Test
  void multiMebibyteFileArrivesByteIdentical() throws Exception {
    byte[] content = new byte[5 * 1024 * 1024 + 12_345];
    new Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("state.snap"), content);
    GrpcPeerTransport sender = fixture.start(fixture.config(1, 0).withSnapshotChunkBytes(256 << 10),
        new RecordingHandler());
    sender.updatePeers(Map.of(2L, TransportFixture.address(receiver)));
    CompletableFuture<Boolean> done = new CompletableFuture<>();

    sender.sendSnapshot(snapshotMessage(), file, done::complete);

    assertThat(done.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(receiverHandler.snapshots).hasSize(1);
    RecordingHandler.ReceivedSnapshot got = receiverHandler.snapshots.get(0);
    assertThat(got.message()).usingRecursiveComparison().isEqualTo(snapshotMessage());
    assertThat(got.file().getParent()).isEqualTo(tempDirOfReceiver());
    assertThat(Files.readAllBytes(got.file())).isEqualTo(content);
  }

  @Test
  void emptyFileIsAValidSnapshot() throws Exception {
    Path file = Files.write(dir.resolve("empty.snap"), new byte[0]);
    GrpcPeerTransport sender = fixture.start(fixture.config(1, 0), new RecordingHandler());
    sender.updatePeers(Map.of(2L, TransportFixture.address(receiver)));
    CompletableFuture<Boolean> done = new CompletableFuture<>();

    sender.sendSnapshot(snapshotMessage(), file, done::complete);

    assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.size(receiverHandler.snapshots.get(0).file())).isZero();
  }

  @Test
  void snapshotToUnreachablePeerReportsFailure() throws Exception {
    Path file = Files.write(dir.resolve("s.snap"), new byte[1000]);
    GrpcPeerTransport sender = fixture.start(fixture.config(1, 0), new RecordingHandler());
    sender.updatePeers(Map.of(2L, "127.0.0.1:" + TransportFixture.closedPort()));
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    CompletableFuture<Boolean> unknown = new CompletableFuture<>();

    sender.sendSnapshot(snapshotMessage(), file, done::complete);
    sender.sendSnapshot(Message.builder(MessageType.SNAPSHOT, 1, 5, 7).build(), file, unknown::complete);

    assertThat(done.get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(unknown.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void corruptedDataIsRejectedAndNeverHandedOver() throws Exception {
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    byte[] corrupted = data.clone();
    corrupted[150_000] ^= 0x01;

    Throwable error = rawTransfer(stream -> {
      stream.onNext(header(snapshotMessage()));
      stream.onNext(dataChunk(corrupted));
      stream.onNext(trailer(data.length, crcOf(data)));
      stream.onCompleted();
    });

    assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(error).hasMessageContaining("CRC32C");
    assertNothingHandedOverAndNoTempFilesLeft();
  }

  @Test
  void truncatedTransferIsRejected() throws Exception {
    byte[] data = new byte[100_000];
    new Random(2).nextBytes(data);
    byte[] firstHalf = java.util.Arrays.copyOf(data, 50_000);

    Throwable missingBytes = rawTransfer(stream -> {
      stream.onNext(header(snapshotMessage()));
      stream.onNext(dataChunk(firstHalf));
      stream.onNext(trailer(data.length, crcOf(data)));
      stream.onCompleted();
    });
    Throwable missingTrailer = rawTransfer(stream -> {
      stream.onNext(header(snapshotMessage()));
      stream.onNext(dataChunk(firstHalf));
      stream.onCompleted();
    });

    assertThat(Status.fromThrowable(missingBytes).getCode()).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(Status.fromThrowable(missingTrailer).getCode()).isEqualTo(Status.Code.DATA_LOSS);
    assertThat(missingTrailer).hasMessageContaining("before its trailer");
    assertNothingHandedOverAndNoTempFilesLeft();
  }

  @Test
  void abortedTransferLeavesNoTempFile() throws Exception {
    rawTransfer(stream -> {
      stream.onNext(header(snapshotMessage()));
      stream.onNext(dataChunk(new byte[10_000]));
      stream.onError(new RuntimeException("sender gave up"));
    });

    await().atMost(Duration.ofSeconds(5)).untilAsserted(this::assertNothingHandedOverAndNoTempFilesLeft);
  }

  @Test
  void aTransferTheSenderAbortedResumesFromWhatTheReceiverKept() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 777];
    new Random(11).nextBytes(content);
    Path file = Files.write(dir.resolve("resumable.snap"), content);
    int kept = 1024 * 1024 + 5;
    // A first attempt that broke off after `kept` bytes (sender crashed, deadline, connection reset).
    rawTransfer(stream -> {
      stream.onNext(SnapshotChunk.newBuilder().setHeader(SnapshotHeader.newBuilder().setSenderId(1)
          .setMessage(MessageCodec.toProto(snapshotMessage())).setFileBytes(content.length)).build());
      stream.onNext(dataChunk(java.util.Arrays.copyOf(content, kept)));
      awaitReceiverFileOf(kept); // else the cancel may overtake the data
      stream.onError(new RuntimeException("sender gave up"));
    });
    // The abort reaches the receiver asynchronously.
    await().atMost(Duration.ofSeconds(5)).until(() -> resumePointAtReceiver(content.length) == kept);
    SnapshotSender sender = new SnapshotSender(1, RaftPeerGrpc.newStub(rawChannel), 256 << 10, Duration.ofSeconds(20));

    assertThat(sender.send(snapshotMessage(), file)).isTrue();
    assertThat(sender.resumedFrom()).isEqualTo(kept);
    assertThat(receiverHandler.snapshots).hasSize(1);
    assertThat(Files.readAllBytes(receiverHandler.snapshots.get(0).file())).isEqualTo(content);
    try (var files = Files.list(tempDirOfReceiver())) {
      assertThat(files).hasSize(1); // the handed-over file only: no partial left behind
    }
  }

  @Test
  void aChangedFileIsSentFromTheBeginning() throws Exception {
    byte[] content = new byte[600_000];
    new Random(12).nextBytes(content);
    Path file = Files.write(dir.resolve("changed.snap"), content);
    rawTransfer(stream -> {
      stream.onNext(SnapshotChunk.newBuilder().setHeader(SnapshotHeader.newBuilder().setSenderId(1)
          .setMessage(MessageCodec.toProto(snapshotMessage())).setFileBytes(content.length + 1)).build());
      stream.onNext(dataChunk(new byte[100_000]));
      awaitReceiverFileOf(100_000);
      stream.onError(new RuntimeException("sender gave up"));
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> resumePointAtReceiver(content.length + 1) == 100_000);
    SnapshotSender sender = new SnapshotSender(1, RaftPeerGrpc.newStub(rawChannel), 256 << 10, Duration.ofSeconds(20));

    assertThat(sender.send(snapshotMessage(), file)).isTrue();
    assertThat(sender.resumedFrom()).isZero();
    assertThat(Files.readAllBytes(receiverHandler.snapshots.get(0).file())).isEqualTo(content);
  }

  @Test
  void outOfOrderChunksAreRejected() throws Exception {
    Throwable dataFirst = rawTransfer(stream -> {
      stream.onNext(dataChunk(new byte[10]));
      stream.onCompleted();
    });
    Throwable wrongRecipient = rawTransfer(stream -> {
      stream.onNext(header(Message.builder(MessageType.SNAPSHOT, 1, 3, 7).build()));
      stream.onCompleted();
    });

    assertThat(Status.fromThrowable(dataFirst).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Status.fromThrowable(wrongRecipient).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertNothingHandedOverAndNoTempFilesLeft();
  }

  private void awaitReceiverFileOf(long bytes) {
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      try (var files = Files.list(tempDirOfReceiver())) {
        return files.anyMatch(f -> f.toFile().length() == bytes);
      }
    });
  }

  private long resumePointAtReceiver(long fileBytes) {
    SnapshotMeta meta = snapshotMessage().snapshot();
    return RaftPeerGrpc.newBlockingStub(rawChannel).snapshotResume(io.raftkv.transport.proto.SnapshotResumeQuery
        .newBuilder().setSenderId(1).setIndex(meta.index()).setTerm(meta.term()).setFileBytes(fileBytes).build())
        .getOffset();
  }

  private void assertNothingHandedOverAndNoTempFilesLeft() throws Exception {
    assertThat(receiverHandler.snapshots).isEmpty();
    try (var files = Files.list(tempDirOfReceiver())) {
      assertThat(files).isEmpty();
    }
  }

  /** Runs a hand-made InstallSnapshot call against the receiver; returns its error (null on success). */
  private Throwable rawTransfer(Consumer<StreamObserver<SnapshotChunk>> script) throws Exception {
    if (rawChannel == null) {
      rawChannel = NettyChannelBuilder.forAddress("127.0.0.1", receiver.port()).usePlaintext().build();
    }
    CompletableFuture<SnapshotAck> result = new CompletableFuture<>();
    StreamObserver<SnapshotChunk> stream = RaftPeerGrpc.newStub(rawChannel).installSnapshot(
        new StreamObserver<>() {
          @Override public void onNext(SnapshotAck ack) { result.complete(ack); }
          @Override public void onError(Throwable t) { result.completeExceptionally(t); }
          @Override public void onCompleted() { result.complete(null); }
        });
    script.accept(stream);
    try {
      result.get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }

  private static SnapshotChunk header(Message m) {
    return SnapshotChunk.newBuilder()
        .setHeader(SnapshotHeader.newBuilder().setSenderId(m.from()).setMessage(MessageCodec.toProto(m)))
        .build();
  }

  private static SnapshotChunk dataChunk(byte[] bytes) {
    return SnapshotChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build();
  }

  private static SnapshotChunk trailer(long total, int crc) {
    return SnapshotChunk.newBuilder()
        .setTrailer(SnapshotTrailer.newBuilder().setTotalBytes(total).setCrc32C(crc)).build();
  }

  private static int crcOf(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return (int) crc.getValue();
  }
}
