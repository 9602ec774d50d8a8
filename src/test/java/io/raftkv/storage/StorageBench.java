package io.raftkv.storage;

import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: a rough measurement of synced appends, run by hand
 * ({@code java -cp ... io.raftkv.storage.StorageBench [dir]}). Results are in docs/storage.md.
 */
public final class StorageBench {
  private StorageBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("storage-bench");
    try (JeLogStore store = JeLogStore.open(dir)) {
      long next = 1;
      next = measure(store, next, 1000, 100, 50, "warm-up 1000 x 100 B");
      next = measure(store, next, 1000, 100, 200, "batch 1000 x 100 B, synced");
      next = measure(store, next, 1, 100, 500, "batch 1 x 100 B, synced");
      next = measure(store, next, 100, 1000, 200, "batch 100 x 1 KiB, synced");
      long t0 = System.nanoTime();
      int n = 0;
      for (long i = 1; i < next; i += 1000) n += store.entries(i, Math.min(next, i + 1000), Long.MAX_VALUE).size();
      System.out.printf("read back %d entries in %.1f ms%n", n, (System.nanoTime() - t0) / 1e6);
    }
    long t0 = System.nanoTime();
    try (JeLogStore store = JeLogStore.open(dir)) {
      System.out.printf("reopen + verify %d entries: %.0f ms%n", store.lastIndex(), (System.nanoTime() - t0) / 1e6);
    }
  }

  private static long measure(JeLogStore store, long next, int batchSize, int bytes, int rounds, String label) {
    double[] millis = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      List<Entry> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) batch.add(LogFixtures.sized(next + i, 1, bytes));
      long t0 = System.nanoTime();
      store.save(new HardState(1, 1, next - 1), batch, true);
      millis[r] = (System.nanoTime() - t0) / 1e6;
      next += batchSize;
    }
    Arrays.sort(millis);
    System.out.printf("%-30s median %.2f ms  p90 %.2f ms  max %.2f ms%n", label,
        millis[rounds / 2], millis[rounds * 9 / 10], millis[rounds - 1]);
    return next;
  }
}
