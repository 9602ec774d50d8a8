package io.raftkv.storage;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.HardState;
import io.raftkv.raft.SnapshotMeta;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not a test: what compaction costs under appends, run by hand (command and results in docs/storage.md,
 * "Measurements"). Appends {@code N} entries of {@code BYTES} bytes in batches of {@code BATCH} with
 * {@code COMMIT_NO_SYNC} (the fsync cost is the disk's, not compaction's), compacting every
 * {@code EVERY} entries to a {@code RETAIN} tail as the node does, then reports wall time, process CPU
 * and the CPU of every thread (the trimmer's, the appender's, JE's daemons') summed by name.
 */
public final class CompactionBench {
  private static final int N = 200_000;
  private static final int BYTES = 300;
  private static final int BATCH = 64;
  private static final int EVERY = 10_000;
  private static final int RETAIN = 5_000;

  private CompactionBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("compaction-bench");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    Map<String, Long> byThread;
    try (JeLogStore store = JeLogStore.open(dir)) {
      long next = 1;
      long lastCompaction = 0;
      while (next <= N) {
        List<Entry> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH && next <= N; i++) batch.add(LogFixtures.sized(next++, 1, BYTES));
        store.save(new HardState(1, 1, next - 1), batch, false);
        long last = store.lastIndex();
        if (last - lastCompaction >= EVERY) {
          store.compact(new SnapshotMeta(last, 1, ConfState.ofVoters(1L)), last + 1 - RETAIN);
          lastCompaction = last;
        }
      }
      long stored = store.storedEntryCount(); // waits for the trimmer
      System.out.printf("appended %d, first %d, last %d, stored at/above first %d%n",
          N, store.firstIndex(), store.lastIndex(), stored);
      byThread = cpuByThreadName(threads); // before close: JE's and the trimmer's threads end with it
    }
    System.out.printf("wall %.2f s, process CPU %.2f s%n", (System.nanoTime() - wall0) / 1e9,
        (os.getProcessCpuTime() - cpu0) / 1e9);
    byThread.forEach((name, nanos) -> {
      if (nanos >= 10_000_000L) System.out.printf("  %-32s %8.3f s%n", name, nanos / 1e9);
    });
  }

  private static Map<String, Long> cpuByThreadName(ThreadMXBean threads) {
    Map<String, Long> out = new TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      ThreadInfo info = threads.getThreadInfo(id);
      long nanos = threads.getThreadCpuTime(id);
      if (info == null || nanos < 0) continue;
      String name = info.getThreadName().replaceAll("\\d+$", "#");
      out.merge(name, nanos, Long::sum);
    }
    return out;
  }
}
