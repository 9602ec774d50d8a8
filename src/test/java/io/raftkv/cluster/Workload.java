package io.raftkv.cluster;

import java.net.URI;
import java.time.Duration;
import io.raftkv.sim.KvOp;
import io.raftkv.sim.MultiKeyOps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few concurrent clients that put, read (linearizable), delete, range-read (linearizable) and
 * transact on a small set of keys through randomly chosen nodes while a fault happens, recording
 * everything in a {@link HistoryRecorder}. Ranges and txns are drawn as the simulator's clients draw
 * them ({@link MultiKeyOps}).
 * Each client stops at the first of: {@link #close()}, its operation budget, its time budget.
 */
final class Workload implements AutoCloseable {
  private static final AtomicInteger NEXT_CLIENT_ID = new AtomicInteger(100);
  private static final Duration PAUSE_BETWEEN_OPS = Duration.ofMillis(40);
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(150);

  private final List<URI> nodes;
  private final List<String> keys;
  private final String uniqueKeyPrefix;
  private final HistoryRecorder history;
  private final HttpKvClient client;
  private final int maxOpsPerClient;
  private final long deadlineNanos;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  private Workload(List<URI> nodes, List<String> keys, String uniqueKeyPrefix, HistoryRecorder history,
      int maxOpsPerClient, Duration maxDuration) {
    this.nodes = List.copyOf(nodes);
    this.keys = List.copyOf(keys);
    this.uniqueKeyPrefix = uniqueKeyPrefix;
    this.history = history;
    this.client = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(2));
    this.maxOpsPerClient = maxOpsPerClient;
    this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
  }

  /** Starts {@code clients} threads doing random puts, reads and deletes of {@code keys}. */
  static Workload mixed(List<URI> nodes, List<String> keys, HistoryRecorder history, int clients,
      int maxOpsPerClient, Duration maxDuration, long seed) {
    return start(new Workload(nodes, keys, null, history, maxOpsPerClient, maxDuration), clients, seed);
  }

  /**
   * Starts {@code clients} threads that each put a fresh key ({@code prefix}client-n) every time, so
   * every acknowledged write stays visible and can be checked one by one after a crash.
   */
  static Workload uniqueKeyWriters(List<URI> nodes, String prefix, HistoryRecorder history, int clients,
      int maxOpsPerClient, Duration maxDuration, long seed) {
    return start(new Workload(nodes, List.of(), prefix, history, maxOpsPerClient, maxDuration), clients, seed);
  }

  private static Workload start(Workload workload, int clients, long seed) {
    for (int i = 0; i < clients; i++) {
      int clientId = NEXT_CLIENT_ID.getAndIncrement();
      Random random = new Random(seed * 31 + clientId);
      Thread thread = new Thread(() -> workload.runClient(clientId, random), "workload-client-" + clientId);
      thread.setDaemon(true);
      workload.threads.add(thread);
      thread.start();
    }
    return workload;
  }

  private void runClient(int clientId, Random random) {
    int sequence = 0;
    MultiKeyOps multiKey = keys.isEmpty() ? null : MultiKeyOps.withinPrefix(random, keys.stream().sorted().toList(),
        commonPrefix(keys), new HashMap<>());
    while (!stopped.get() && sequence < maxOpsPerClient && System.nanoTime() < deadlineNanos) {
      sequence++;
      URI node = nodes.get(random.nextInt(nodes.size()));
      KvResult result = uniqueKeyPrefix != null
          ? uniquePut(clientId, sequence, node)
          : oneOperation(clientId, sequence, node, keys.get(random.nextInt(keys.size())), random.nextInt(100), multiKey);
      boolean failed = result.outcome() == KvResult.Outcome.FAILED;
      ClusterHarness.sleep(failed ? PAUSE_AFTER_FAILURE : PAUSE_BETWEEN_OPS);
    }
  }

  private KvResult uniquePut(int clientId, int sequence, URI node) {
    String key = uniqueKeyPrefix + clientId + "-" + sequence;
    String value = "v" + sequence;
    return history.record(clientId, HistoryRecorder.Kind.PUT, key, value, node, () -> client.put(node, key, value));
  }

  private KvResult oneOperation(int clientId, int sequence, URI node, String key, int dice, MultiKeyOps multiKey) {
    if (dice >= 80) return multiKeyOperation(clientId, sequence, node, dice < 90 ? multiKey.range()
        : multiKey.txn("c" + clientId + "-" + sequence), multiKey);
    if (dice < 40) {
      String value = "c" + clientId + "-" + sequence;
      return history.record(clientId, HistoryRecorder.Kind.PUT, key, value, node, () -> client.put(node, key, value));
    }
    if (dice < 70) {
      return history.record(clientId, HistoryRecorder.Kind.GET, key, null, node,
          () -> client.get(node, key, "linearizable"));
    }
    return history.record(clientId, HistoryRecorder.Kind.DELETE, key, null, node, () -> client.delete(node, key));
  }

  /** A range read or txn, recorded with its request text; what it showed feeds later compares. */
  private KvResult multiKeyOperation(int clientId, int sequence, URI node, KvOp op, MultiKeyOps multiKey) {
    KvResult result;
    if (op.kind() == KvOp.Kind.RANGE) {
      String query = ModelJson.rangeQuery(op.range());
      result = history.record(clientId, HistoryRecorder.Kind.RANGE, query, null, node,
          () -> client.range(node, query, "linearizable"));
      if (result.isOk()) multiKey.onResult(op, KvOp.Result.range(ModelJson.parseRangeAnswer(result.detail())));
    } else {
      String body = ModelJson.txnRequest(op.txn());
      result = history.record(clientId, HistoryRecorder.Kind.TXN, "", body, node, () -> client.txn(node, body));
      if (result.isOk()) multiKey.onResult(op, KvOp.Result.txn(ModelJson.parseTxnAnswer(result.detail())));
    }
    return result;
  }

  private static String commonPrefix(List<String> keys) {
    String prefix = keys.get(0);
    for (String k : keys) {
      while (!k.startsWith(prefix)) prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix;
  }

  /** Stops the clients and waits for their last operations to finish (each is bounded by timeouts). */
  @Override
  public void close() {
    stopped.set(true);
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop");
      }
    }
  }
}
