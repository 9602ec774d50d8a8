package io.raftkv.it;

import io.raftkv.cluster.ClusterHarness;
import io.raftkv.cluster.HttpKvClient;
import io.raftkv.cluster.KvResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The writer of WatchIT: puts and deletes on a few keys under {@code w/}, through every running node in
 * turn, killing the leader with -9 half-way and starting it again 40 writes later. Remembers which
 * writes were acknowledged (with their revisions) and which have an unknown outcome.
 */
final class WatchWriter {
  private final ClusterHarness cluster;
  private final HttpKvClient kv;
  private final int keys;
  private final List<ResumingWatcher.Change> acknowledged = new ArrayList<>();
  private final Set<String> unknown = new HashSet<>();

  WatchWriter(ClusterHarness cluster, HttpKvClient kv, int keys) {
    this.cluster = cluster;
    this.kv = kv;
    this.keys = keys;
  }

  void run(int writes, int leader) throws IOException {
    int turn = 0;
    for (int i = 0; i < writes; i++) {
      if (i == writes / 2) cluster.kill9(leader);
      if (i == writes / 2 + 40) cluster.startInBackground(leader);
      String key = "w/" + (i % keys);
      String value = i % 7 == 3 ? null : "v" + i;
      for (int attempt = 0; attempt < 200; attempt++) {
        List<Integer> running = cluster.running();
        KvResult r = write(running.get(turn++ % running.size()), key, value);
        if (r.outcome() == KvResult.Outcome.FAILED) {
          sleep(50); // definitely not applied: try again elsewhere
          continue;
        }
        if (r.isOk()) acknowledged(r.revision(), key, value);
        if (r.outcome() == KvResult.Outcome.UNKNOWN) unknown.add(key + "=" + value);
        break;
      }
    }
  }

  private KvResult write(int node, String key, String value) {
    return value == null ? kv.delete(cluster.uri(node), key) : kv.put(cluster.uri(node), key, value);
  }

  void acknowledged(long revision, String key, String value) {
    acknowledged.add(new ResumingWatcher.Change(revision, key, value));
  }

  List<ResumingWatcher.Change> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** Acknowledged, or written with an unknown outcome (so it may or may not have been applied). */
  boolean couldHaveHappened(ResumingWatcher.Change change) {
    return acknowledged.contains(change) || unknown.contains(change.key() + "=" + change.value());
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
