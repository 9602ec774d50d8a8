package io.raftkv.bench;

import io.raftkv.boot.NodeAssembly;
import io.raftkv.kv.ClusterView;
import io.raftkv.kv.Condition;
import io.raftkv.kv.KvService;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: one real node in this JVM (JE log, snapshots, Raft loop; no HTTP), written to through
 * {@link KvService}. Preloads {@code preload} keys of 100 B (so each snapshot takes a while), then
 * issues {@code puts} puts over 10,000 keys with 16 in flight, and reports the data directory's size
 * as it goes (the disk bound) and the put latency p50/p99 while a snapshot is being taken vs. not.
 * Run by hand: {@code java -cp <test classpath> io.raftkv.bench.NodeWriteBench [preload] [puts]}.
 */
public final class NodeWriteBench {
  private static final int HOT_KEYS = 10_000;

  private record Sample(long startNanos, long endNanos) {}

  private NodeWriteBench() {}

  public static void main(String[] args) throws Exception {
    int preload = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int puts = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    long threshold = 10_000;
    Path dir = Files.createTempDirectory(Path.of("target"), "nodebench");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> conf = Map.of("raftkv.node.id", "1", "raftkv.peer.address", "127.0.0.1:" + port,
        "raftkv.cluster", "1@127.0.0.1:" + port, "raftkv.data.dir", dir.toString(),
        "raftkv.snapshot.threshold", Long.toString(threshold), "raftkv.log.retain", "5000",
        "raftkv.queue.max", "100000");
    try (NodeAssembly node = NodeAssembly.start(io.raftkv.node.NodeConfig.fromLookup(k -> Optional.ofNullable(conf.get(k))))) {
      KvService kv = node.service();
      while (kv.cluster().leader() == null) Thread.sleep(50);
      char[] filler = new char[100];
      Arrays.fill(filler, 'x');
      String value = new String(filler);
      long t0 = System.nanoTime();
      run(kv, preload, 64, i -> String.format("pre/%08d", i), value, null);
      System.out.printf("preloaded %d keys in %.1f s%n", preload, (System.nanoTime() - t0) / 1e9);

      List<long[]> snapshotWindows = new ArrayList<>();
      SnapshotWatcher watcher = new SnapshotWatcher(kv, threshold, snapshotWindows);
      watcher.start();
      ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
      t0 = System.nanoTime();
      for (int done = 0; done < puts; done += 50_000) {
        int batch = Math.min(50_000, puts - done);
        int base = done;
        run(kv, batch, 16, i -> "hot/" + ((base + i) % HOT_KEYS), value, samples);
        ClusterView v = kv.cluster();
        System.out.printf("after %d puts over %d keys: data dir %.1f MB (je %.1f MB, snapshots %.1f MB), "
            + "log entries %d, snapshot index %d%n", done + batch, HOT_KEYS, bytes(dir) / 1e6,
            bytes(dir.resolve("je")) / 1e6, bytes(dir.resolve("snapshots")) / 1e6,
            v.local().logEntries(), v.snapshotIndex());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      watcher.interrupt();
      watcher.join();
      report(samples, snapshotWindows, puts / seconds);
    }
  }

  /** Issues {@code count} puts with at most {@code inFlight} outstanding; waits for all. */
  private static void run(KvService kv, int count, int inFlight, java.util.function.IntFunction<String> key,
      String value, ConcurrentLinkedQueue<Sample> samples) throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    for (int i = 0; i < count; i++) {
      permits.acquire();
      long start = System.nanoTime();
      kv.put(key.apply(i), value, Condition.NONE).whenComplete((e, err) -> {
        if (err != null) System.err.println("put failed: " + err);
        if (samples != null) samples.add(new Sample(start, System.nanoTime()));
        permits.release();
      });
    }
    permits.acquire(inFlight);
  }

  private static void report(ConcurrentLinkedQueue<Sample> samples, List<long[]> windows, double rate) {
    List<Long> during = new ArrayList<>();
    List<Long> outside = new ArrayList<>();
    synchronized (windows) {
      for (Sample s : samples) {
        boolean overlaps = windows.stream().anyMatch(w -> s.startNanos < w[1] && s.endNanos > w[0]);
        (overlaps ? during : outside).add(s.endNanos - s.startNanos);
      }
    }
    System.out.printf("%.0f puts/s; %d snapshots taken while writing%n", rate, windows.size());
    System.out.printf("put latency while a snapshot is taken: %s%n", percentiles(during));
    System.out.printf("put latency otherwise:                 %s%n", percentiles(outside));
  }

  private static String percentiles(List<Long> nanos) {
    if (nanos.isEmpty()) return "no samples";
    nanos.sort(null);
    return String.format("n=%d p50 %.2f ms, p99 %.2f ms, max %.1f ms", nanos.size(),
        nanos.get(nanos.size() / 2) / 1e6, nanos.get((int) (nanos.size() * 0.99)) / 1e6,
        nanos.get(nanos.size() - 1) / 1e6);
  }

  private static long bytes(Path p) {
    try (var files = Files.walk(p)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Marks the time windows in which a snapshot is due or being written: applied − snapshot index ≥
   * threshold (the node starts one at once) until the published snapshot index moves.
   */
  private static final class SnapshotWatcher extends Thread {
    private final KvService kv;
    private final long threshold;
    private final List<long[]> windows;

    SnapshotWatcher(KvService kv, long threshold, List<long[]> windows) {
      super("snapshot-watcher");
      this.kv = kv;
      this.threshold = threshold;
      this.windows = windows;
      setDaemon(true);
    }

    @Override
    public void run() {
      long openedAt = -1;
      while (!isInterrupted()) {
        ClusterView v = kv.cluster();
        long now = System.nanoTime();
        boolean due = v.appliedIndex() - v.snapshotIndex() >= threshold;
        if (due && openedAt < 0) openedAt = now;
        if (!due && openedAt >= 0) {
          synchronized (windows) {
            windows.add(new long[] {openedAt, now});
          }
          openedAt = -1;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }
}
