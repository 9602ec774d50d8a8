package io.raftkv.transport;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.SnapshotMeta;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: InstallSnapshot throughput over real gRPC on loopback with the production transport
 * settings (1 MiB chunks, CRC, temp file, fsync on the receiver). Sends a file of {@code mb} MB of
 * random bytes three times. Run by hand:
 * {@code java -cp <test classpath> io.raftkv.transport.InstallSnapshotBench [mb]}.
 */
public final class InstallSnapshotBench {
  private InstallSnapshotBench() {}

  public static void main(String[] args) throws Exception {
    int mb = args.length > 0 ? Integer.parseInt(args[0]) : 144;
    Path dir = Files.createTempDirectory(Path.of("target"), "snapsend");
    Path file = dir.resolve("state.snap");
    byte[] block = new byte[1 << 20];
    new Random(1).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mb; i++) out.write(block);
    }
    try (TransportFixture fixture = new TransportFixture(dir)) {
      GrpcPeerTransport receiver = fixture.start(fixture.config(2, 0), new RecordingHandler());
      GrpcPeerTransport sender = fixture.start(fixture.config(1, 0), new RecordingHandler());
      sender.updatePeers(Map.of(2L, TransportFixture.address(receiver)));
      for (int round = 1; round <= 3; round++) {
        Message m = Message.builder(MessageType.SNAPSHOT, 1, 2, 1)
            .snapshot(new SnapshotMeta(round * 1000L, 1, new ConfState(Set.of(1L, 2L), Set.of()))).build();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        sender.sendSnapshot(m, file, done::complete);
        boolean ok = done.get(10, TimeUnit.MINUTES);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("InstallSnapshot of %d MB: %s in %.2f s = %.0f MB/s%n", mb, ok ? "ok" : "FAILED", s,
            Files.size(file) / 1e6 / s);
      }
    }
  }
}
