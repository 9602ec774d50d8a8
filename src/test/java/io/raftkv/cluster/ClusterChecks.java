package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Bounded waits and data checks on an {@link ElasticCluster} for the membership and snapshot tests:
 * agreement on a leader and a membership, a node caught up with the leader, a node's local (stale)
 * data holding every acknowledged write, and the history's linearizability.
 */
final class ClusterChecks {
  private static final Duration POLL = Duration.ofMillis(200);

  private final ElasticCluster cluster;
  private final AdminClient admin = new AdminClient();
  private final HttpKvClient kv = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(5));

  ClusterChecks(ElasticCluster cluster) {
    this.cluster = cluster;
  }

  AdminClient admin() {
    return admin;
  }

  AdminClient.NodeStats stats(int id) {
    return admin.stats(cluster.uri(id));
  }

  /** Waits until every node of {@code among} names the same leader (one of them) in the same term. */
  int awaitLeader(Collection<Integer> among, Duration timeout) {
    return awaitValue(() -> agreedLeader(among), timeout, () -> "no agreed leader among " + among + views(among));
  }

  private Optional<Integer> agreedLeader(Collection<Integer> among) {
    Long leader = null;
    Long term = null;
    for (int id : among) {
      AdminClient.NodeStats s = stats(id);
      if (s == null || s.leader() == null) return Optional.empty();
      if (leader != null && (!leader.equals(s.leader()) || !term.equals(s.term()))) return Optional.empty();
      leader = s.leader();
      term = s.term();
    }
    return leader != null && among.contains(leader.intValue()) ? Optional.of(leader.intValue()) : Optional.empty();
  }

  /** Waits until every node of {@code among} lists exactly {@code voters} as its voters. */
  void awaitVoters(Collection<Integer> among, List<Long> voters, Duration timeout) {
    awaitTrue(() -> among.stream().allMatch(id -> {
      AdminClient.NodeStats s = stats(id);
      return s != null && s.voters().equals(voters);
    }), timeout, () -> "voters never became " + voters + " on " + among + views(among));
  }

  /** Waits until node {@code id} has applied at least the leader's current commit index. */
  void awaitCaughtUp(int id, int leader, Duration timeout) {
    AdminClient.NodeStats l = stats(leader);
    assertThat(l).as("leader %d answers", leader).isNotNull();
    long target = l.commitIndex();
    awaitTrue(() -> {
      AdminClient.NodeStats s = stats(id);
      return s != null && s.appliedIndex() >= target;
    }, timeout, () -> "node " + id + " did not apply up to " + target + views(List.of(id, leader)));
  }

  /**
   * Node {@code id} catches up with the leader's commit index and then holds, in its local (stale)
   * state, every fresh-key write (a key written once) acknowledged before the call, with the
   * acknowledged value. Writes may go on meanwhile: each write acknowledged before the leader's commit
   * index is read is at or below it. When {@code quiet} (no writes in flight), shared keys (written
   * many times, their names contain {@code sharedMarker}) must also read the same as on the leader.
   */
  void assertHoldsAcknowledgedWrites(int id, int leader, HistoryRecorder history, String sharedMarker,
      boolean quiet) {
    List<HistoryRecorder.Op> ops = history.operations();
    awaitCaughtUp(id, leader, Duration.ofSeconds(60));
    Map<String, String> fresh = new HashMap<>();
    Map<String, Integer> writes = new HashMap<>();
    for (HistoryRecorder.Op op : ops) {
      if (op.kind() == HistoryRecorder.Kind.PUT) writes.merge(op.key(), 1, Integer::sum);
    }
    for (HistoryRecorder.Op op : ops) {
      if (op.kind() == HistoryRecorder.Kind.PUT && op.result().isOk() && writes.get(op.key()) == 1
          && !op.key().contains(sharedMarker)) {
        fresh.put(op.key(), op.value());
      }
    }
    assertThat(fresh).as("the workload acknowledged writes to check").isNotEmpty();
    URI node = cluster.uri(id);
    List<String> wrong = parallelCheck(fresh.keySet(), key -> {
      KvResult r = kv.get(node, key, "stale");
      return r.isOk() && Objects.equals(r.value(), fresh.get(key));
    });
    assertThat(wrong).as("acknowledged writes missing or different on node %d (of %d checked)", id, fresh.size())
        .isEmpty();
    if (!quiet) return;
    List<String> shared = writes.keySet().stream().filter(k -> k.contains(sharedMarker)).toList();
    URI ref = cluster.uri(leader);
    List<String> differing = parallelCheck(shared, key -> {
      KvResult a = kv.get(node, key, "stale");
      KvResult b = kv.get(ref, key, "stale");
      return a.outcome() == b.outcome() && Objects.equals(a.value(), b.value());
    });
    assertThat(differing).as("shared keys that differ between node %d and leader %d", id, leader).isEmpty();
  }

  /** Checks {@code keys} with 4 threads; returns the keys for which {@code ok} failed. */
  private static List<String> parallelCheck(Collection<String> keys, Predicate<String> ok) {
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (String key : keys) {
        pool.execute(() -> {
          if (!ok.test(key)) failed.add(key);
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).as("data check finished in time").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
    return new ArrayList<>(failed).stream().sorted().limit(20).toList();
  }

  /** The whole recorded history passes the simulator's linearizability checker. */
  static void assertLinearizable(HistoryRecorder history) {
    SimLinearizability.Verdict verdict = new SimLinearizability().check(history.operations());
    assertThat(verdict.exhausted()).as("checker ran out of budget: %s", verdict.explanation()).isFalse();
    assertThat(verdict.linearizable()).as("history (%s): %s", history.summary(), verdict.explanation()).isTrue();
  }

  String views(Collection<Integer> ids) {
    StringBuilder out = new StringBuilder();
    for (int id : ids) out.append(System.lineSeparator()).append("  node ").append(id).append(": ").append(stats(id));
    return out.toString();
  }

  static void awaitTrue(java.util.function.BooleanSupplier done, Duration timeout,
      java.util.function.Supplier<String> message) {
    awaitValue(() -> done.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), timeout, message);
  }

  static <T> T awaitValue(java.util.function.Supplier<Optional<T>> probe, Duration timeout,
      java.util.function.Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> v = probe.get();
      if (v.isPresent()) return v.get();
      if (System.nanoTime() > deadline) throw new AssertionError(message.get());
      ClusterHarness.sleep(POLL);
    }
  }
}
