package io.raftkv.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Single-client probes the cluster tests use to ask pointed questions ("does a write succeed yet?",
 * "does every node hold the same data?"). Writes and linearizable reads go into the shared history
 * under the probe's own client id, so the linearizability check covers them too.
 */
final class ClusterProbes {
  private static final Duration POLL = Duration.ofMillis(100);

  private final ClusterHarness cluster;
  private final HistoryRecorder history;
  private final int clientId;
  private final HttpKvClient client;

  ClusterProbes(ClusterHarness cluster, HistoryRecorder history, int clientId, Duration requestTimeout) {
    this.cluster = cluster;
    this.history = history;
    this.clientId = clientId;
    this.client = new HttpKvClient(Duration.ofMillis(500), requestTimeout);
  }

  KvResult put(int node, String key, String value) {
    return history.record(clientId, HistoryRecorder.Kind.PUT, key, value, cluster.uri(node),
        () -> client.put(cluster.uri(node), key, value));
  }

  KvResult getLinearizable(int node, String key) {
    return history.record(clientId, HistoryRecorder.Kind.GET, key, null, cluster.uri(node),
        () -> client.get(cluster.uri(node), key, "linearizable"));
  }

  /** A stale (local) read; not part of the history, since stale reads may legitimately lag. */
  KvResult getStale(int node, String key) {
    return client.get(cluster.uri(node), key, "stale");
  }

  /**
   * Tries writes through {@code via} (round robin) until one is acknowledged; returns the time from
   * {@code sinceNanos} to that acknowledgement, or null when none succeeded before {@code timeout}.
   */
  Duration writeUntilAccepted(List<Integer> via, String key, long sinceNanos, Duration timeout) {
    long deadline = sinceNanos + timeout.toNanos();
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      int node = via.get(attempt % via.size());
      if (put(node, key, "attempt-" + attempt).isOk()) {
        return Duration.ofNanos(System.nanoTime() - sinceNanos);
      }
      ClusterHarness.sleep(Duration.ofMillis(50));
    }
    return null;
  }

  /** The value of every key read linearizably through {@code node} (null = absent). */
  Map<String, String> readAll(int node, Collection<String> keys) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String key : keys) {
      KvResult result = getLinearizable(node, key);
      if (result.outcome() != KvResult.Outcome.OK && result.outcome() != KvResult.Outcome.NOT_FOUND) {
        throw new AssertionError("linearizable read of " + key + " via node " + node + " failed: " + result);
      }
      values.put(key, result.value());
    }
    return values;
  }

  /** Waits until {@code node}'s local (stale) read of {@code key} returns {@code expected}. */
  void awaitLocalValue(int node, String key, String expected, Duration timeout) {
    awaitLocalValueUntil(node, key, expected, System.nanoTime() + timeout.toNanos());
  }

  private void awaitLocalValueUntil(int node, String key, String expected, long deadline) {
    KvResult last = null;
    while (System.nanoTime() < deadline) {
      last = getStale(node, key);
      if (holds(last, expected)) {
        return;
      }
      ClusterHarness.sleep(POLL);
    }
    throw new AssertionError("node " + node + " did not catch up in time: " + key
        + " expected " + expected + ", last local read " + last + cluster.describeViews());
  }

  /**
   * Waits until every running node's local copy of every key equals what a linearizable read through
   * the leader returns: the same data everywhere. Call with the clients stopped.
   */
  Map<String, String> awaitSameDataEverywhere(Collection<String> keys, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int leader = cluster.awaitLeader(timeout);
    Map<String, String> expected = readAll(leader, keys);
    for (int node : cluster.running()) {
      for (Map.Entry<String, String> entry : expected.entrySet()) {
        awaitLocalValueUntil(node, entry.getKey(), entry.getValue(), deadline);
      }
    }
    return expected;
  }

  private static boolean holds(KvResult result, String expected) {
    if (expected == null) {
      return result.outcome() == KvResult.Outcome.NOT_FOUND;
    }
    return result.isOk() && Objects.equals(result.value(), expected);
  }
}
