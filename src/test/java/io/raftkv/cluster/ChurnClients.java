package io.raftkv.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Concurrent clients for a cluster whose members change under them: each operation goes to a random
 * node of the <em>current</em> member list ({@code nodes} is asked every time). Half the operations put
 * a fresh key (so every acknowledged write can be looked up at the end), the rest put or linearizably
 * read a few shared keys (so the history has contention worth checking). Everything is recorded in a
 * {@link HistoryRecorder}. Each client stops at the first of {@link #close()}, its operation budget,
 * its time budget.
 */
final class ChurnClients implements AutoCloseable {
  private static final AtomicInteger NEXT_CLIENT_ID = new AtomicInteger(500);
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(100);

  private final Supplier<List<URI>> nodes;
  private final String prefix;
  private final List<String> sharedKeys;
  private final HistoryRecorder history;
  private final HttpKvClient client = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(3));
  private final int maxOps;
  private final long deadlineNanos;
  private final Duration pause;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final AtomicInteger acknowledged = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  private ChurnClients(Supplier<List<URI>> nodes, String prefix, int sharedKeys, HistoryRecorder history,
      int maxOps, Duration maxTime, Duration pause) {
    this.nodes = nodes;
    this.prefix = prefix;
    this.sharedKeys = sharedKeys == 0 ? List.of()
        : java.util.stream.IntStream.range(0, sharedKeys).mapToObj(i -> prefix + "shared-" + i).toList();
    this.history = history;
    this.maxOps = maxOps;
    this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
    this.pause = pause;
  }

  /**
   * Starts {@code clients} threads. {@code sharedKeys} 0 makes every operation a fresh-key put (bulk
   * writing, e.g. to cross snapshot thresholds); {@code pause} is the think time between operations.
   */
  static ChurnClients start(Supplier<List<URI>> nodes, String prefix, int sharedKeys, HistoryRecorder history,
      int clients, int maxOpsPerClient, Duration maxTime, Duration pause, long seed) {
    ChurnClients c = new ChurnClients(nodes, prefix, sharedKeys, history, maxOpsPerClient, maxTime, pause);
    for (int i = 0; i < clients; i++) {
      int id = NEXT_CLIENT_ID.getAndIncrement();
      Random random = new Random(seed * 31 + id);
      Thread t = new Thread(() -> c.run(id, random), "churn-client-" + id);
      t.setDaemon(true);
      c.threads.add(t);
      t.start();
    }
    return c;
  }

  /** Puts acknowledged so far (fresh and shared keys). */
  int acknowledged() {
    return acknowledged.get();
  }

  private void run(int clientId, Random random) {
    for (int seq = 1; seq <= maxOps && !stopped.get() && System.nanoTime() < deadlineNanos; seq++) {
      List<URI> live = nodes.get();
      if (live.isEmpty()) {
        ClusterHarness.sleep(PAUSE_AFTER_FAILURE);
        continue;
      }
      URI node = live.get(random.nextInt(live.size()));
      KvResult r = operation(clientId, seq, node, random);
      ClusterHarness.sleep(r.outcome() == KvResult.Outcome.FAILED ? PAUSE_AFTER_FAILURE : pause);
    }
  }

  private KvResult operation(int clientId, int seq, URI node, Random random) {
    int dice = random.nextInt(100);
    if (sharedKeys.isEmpty() || dice < 50) {
      return put(clientId, node, prefix + clientId + "-" + seq, "v" + seq);
    }
    String key = sharedKeys.get(random.nextInt(sharedKeys.size()));
    if (dice < 75) return put(clientId, node, key, "c" + clientId + "-" + seq);
    return history.record(clientId, HistoryRecorder.Kind.GET, key, null, () -> client.get(node, key, "linearizable"));
  }

  private KvResult put(int clientId, URI node, String key, String value) {
    KvResult r = history.record(clientId, HistoryRecorder.Kind.PUT, key, value, () -> client.put(node, key, value));
    if (r.isOk()) acknowledged.incrementAndGet();
    return r;
  }

  /** Stops the clients and waits for their last operations (each bounded by the client's timeouts). */
  @Override
  public void close() {
    stopped.set(true);
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) throw new IllegalStateException(t.getName() + " did not stop");
    }
  }
}
