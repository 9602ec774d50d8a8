package io.raftkv.storage;

import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM main for {@link CrashRecoveryTest}: appends synced batches of {@link #BATCH} entries forever
 * (bounded by a deadline), printing "committed N" after each commit, until the parent kills it.
 */
public final class CrashWriter {
  static final int BATCH = 200;

  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    try (JeLogStore store = JeLogStore.open(Path.of(args[0]))) {
      long next = store.lastIndex() + 1;
      while (System.nanoTime() < deadline) {
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) batch.add(LogFixtures.sized(next + i, 1, 512));
        store.save(new HardState(1, 1, next - 1), batch, true);
        next += BATCH;
        System.out.println("committed " + (next - 1));
        System.out.flush();
      }
    }
  }
}
