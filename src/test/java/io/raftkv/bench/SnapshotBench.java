package io.raftkv.bench;

import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvCommandCodec;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.node.FileSnapshotStore;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.SnapshotFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * Not a test: time and size of a durable snapshot of {@code keys} keys with 100-byte values, as the
 * node takes it (capture on the loop, serialize into a temp file, fsync, rename), and its restore.
 * Run by hand: {@code java -cp <test classpath> io.raftkv.bench.SnapshotBench [keys] [dir]}.
 * Results: docs/benchmarks.md, "Snapshots and membership".
 */
public final class SnapshotBench {
  private SnapshotBench() {}

  public static void main(String[] args) throws IOException {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory(args.length > 1 ? Path.of(args[1]) : Path.of("target"), "snapbench");
    char[] filler = new char[100];
    Arrays.fill(filler, 'x');
    String value = new String(filler);
    KvStateMachine sm = new KvStateMachine();
    for (int i = 1; i <= keys; i++) {
      sm.apply(i, KvCommandCodec.encode(new KvCommand.Put(0, 0, String.format("key/%08d", i), value, io.raftkv.kv.Condition.NONE)));
    }
    FileSnapshotStore store = new FileSnapshotStore(SnapshotFiles.open(dir));
    for (int round = 1; round <= 3; round++) {
      long t0 = System.nanoTime();
      var capture = sm.captureSnapshot();
      double captureMs = (System.nanoTime() - t0) / 1e6;
      SnapshotMeta meta = new SnapshotMeta(keys + round, 1, new ConfState(Set.of(1L), Set.of()));
      t0 = System.nanoTime();
      store.write(meta, capture);
      double writeMs = (System.nanoTime() - t0) / 1e6;
      Path file = store.file(meta).orElseThrow();
      t0 = System.nanoTime();
      try (InputStream in = store.openPayload(meta)) {
        new KvStateMachine().restore(in);
      }
      double restoreMs = (System.nanoTime() - t0) / 1e6;
      System.out.printf("%d keys x 100 B: capture %.2f ms, write+fsync+rename %.0f ms, file %.1f MB, "
          + "verify+restore %.0f ms%n", keys, captureMs, writeMs, Files.size(file) / 1e6, restoreMs);
    }
  }
}
