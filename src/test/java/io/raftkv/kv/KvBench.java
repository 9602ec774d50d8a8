package io.raftkv.kv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Not a test: rough cost of apply, snapshot capture/serialization and restore for many keys, run by
 * hand ({@code java -cp ... io.raftkv.kv.KvBench [keys]}). Results are in docs/storage.md.
 */
public final class KvBench {
  private KvBench() {}

  public static void main(String[] args) throws IOException {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    KvStateMachine sm = new KvStateMachine();
    long t0 = System.nanoTime();
    for (int i = 1; i <= keys; i++) {
      sm.apply(i, KvCommandCodec.encode(new KvCommand.Put(i % 1000 + 1, i / 1000 + 1, "key/" + i, "value-" + i)));
    }
    System.out.printf("apply %d puts: %.0f ms%n", keys, (System.nanoTime() - t0) / 1e6);
    for (int round = 0; round < 3; round++) {
      t0 = System.nanoTime();
      StateMachineSnapshot writer = new StateMachineSnapshot(sm.captureSnapshot());
      double capture = (System.nanoTime() - t0) / 1e6;
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
      t0 = System.nanoTime();
      writer.writer.writeTo(out);
      double write = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      new KvStateMachine().restore(new ByteArrayInputStream(out.toByteArray()));
      double restore = (System.nanoTime() - t0) / 1e6;
      System.out.printf("capture %.3f ms, serialize %.0f ms (%d MB), restore %.0f ms%n",
          capture, write, out.size() >> 20, restore);
    }
  }

  private record StateMachineSnapshot(io.raftkv.node.StateMachine.SnapshotWriter writer) {}
}
