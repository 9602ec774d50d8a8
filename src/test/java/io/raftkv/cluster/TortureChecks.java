package io.raftkv.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The end-of-run checks of a soak or crash/restart run, after every fault is lifted: a final
 * linearizable read of each shared key goes into the history (so the last acknowledged write must be
 * visible), the whole history goes through the simulator's linearizability checker, and every
 * acknowledged fresh-key put (each such key written once) must read back with its value.
 */
final class TortureChecks {
  /** The outcome: the checker's verdict and the acknowledged writes found missing or different. */
  record Result(SimLinearizability.Verdict verdict, int acknowledgedFresh, List<String> lost) {
    boolean passed() {
      return verdict.linearizable() && !verdict.exhausted() && lost.isEmpty();
    }
  }

  private static final int FINAL_CLIENT = 0;
  /**
   * Search budget per key: crash/restart histories (a few thousand operations on one key, a dozen writes
   * of unknown outcome) needed up to ~4 s and more than the checker's default 5 million steps.
   */
  static final long CHECKER_BUDGET = Long.getLong("raftkv.torture.checkerBudget", 200_000_000L);
  private final HttpKvClient kv = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(5));

  Result run(ClusterHarness cluster, HistoryRecorder history, List<String> sharedKeys) {
    int leader = cluster.awaitLeader(Duration.ofMinutes(3));
    URI via = cluster.uri(leader);
    for (String key : sharedKeys) {
      for (int attempt = 0; attempt < 20; attempt++) {
        KvResult r = history.record(FINAL_CLIENT, HistoryRecorder.Kind.GET, key, null, via,
            () -> kv.get(via, key, "linearizable"));
        if (r.outcome() != KvResult.Outcome.FAILED) break;
        ClusterHarness.sleep(Duration.ofMillis(500));
      }
    }
    List<HistoryRecorder.Op> ops = history.operations();
    SimLinearizability.Verdict verdict = new SimLinearizability(CHECKER_BUDGET).check(ops);
    Map<String, String> fresh = acknowledgedFresh(ops);
    return new Result(verdict, fresh.size(), lost(via, fresh));
  }

  /** Fresh keys (written once each) whose put was acknowledged, with the value written. */
  static Map<String, String> acknowledgedFresh(List<HistoryRecorder.Op> ops) {
    Map<String, String> fresh = new LinkedHashMap<>();
    for (HistoryRecorder.Op op : ops) {
      if (op.kind() == HistoryRecorder.Kind.PUT && op.result().isOk() && op.key().startsWith(TortureClients.FRESH_PREFIX)) {
        fresh.put(op.key(), op.value());
      }
    }
    return fresh;
  }

  private List<String> lost(URI via, Map<String, String> fresh) {
    List<String> lost = new ArrayList<>();
    for (Map.Entry<String, String> e : fresh.entrySet()) {
      KvResult r = kv.get(via, e.getKey(), "linearizable");
      for (int attempt = 0; attempt < 10 && r.outcome() == KvResult.Outcome.FAILED; attempt++) {
        ClusterHarness.sleep(Duration.ofMillis(300));
        r = kv.get(via, e.getKey(), "linearizable");
      }
      if (!r.isOk() || !Objects.equals(r.value(), e.getValue())) {
        lost.add(e.getKey() + " (acknowledged " + e.getValue() + ", read " + r.outcome() + " " + r.status() + " "
            + r.value() + ")");
      }
    }
    return lost;
  }
}
