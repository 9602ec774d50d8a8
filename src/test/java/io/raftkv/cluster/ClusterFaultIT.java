package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real nodes (Payara Micro processes on 127.0.0.11-13), started once, put through one fault
 * after another while concurrent clients record a history. Every step checks what the store promises
 * under that fault, then checks the whole history so far for linearizability with the simulator's
 * checker. The steps run in order on the same cluster to pay the ~45 s start-up once; each one starts
 * by waiting for a healthy cluster, so a failed step does not doom the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {
  private static final int LEADER_KILLS = Integer.getInteger("raftkv.it.leaderKills", 3);
  private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(5);
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final int CLIENTS = 3;
  private static final int MAX_OPS_PER_CLIENT = 1_500;
  private static final Duration MAX_WORKLOAD_TIME = Duration.ofSeconds(150);

  private final HistoryRecorder history = new HistoryRecorder();
  private final Set<String> keys = new LinkedHashSet<>();
  private final Figures figures = new Figures();
  private ClusterHarness cluster;
  /** Writes and reads that must succeed: a generous timeout, the machine may be busy. */
  private ClusterProbes probes;
  /** Retried writes that measure an outage: a short timeout, so a dead route costs little. */
  private ClusterProbes fastProbes;

  @BeforeAll
  void startCluster() throws IOException {
    cluster = ClusterHarness.start(getClass().getSimpleName(), 3);
    probes = new ClusterProbes(cluster, history, 1, Duration.ofSeconds(5));
    fastProbes = new ClusterProbes(cluster, history, 2, Duration.ofSeconds(1));
    figures.add("time to a ready 3-node cluster (all serving, leader agreed)", cluster.timeToReady());
  }

  /** A step begins with all nodes up and agreeing on a leader, whatever the previous step left. */
  @BeforeEach
  void healthyCluster() throws IOException {
    undoFaults();
    if (cluster.ids().stream().anyMatch(id -> cluster.state(id) == ClusterHarness.State.DOWN)) {
      cluster.restartAll();
    }
    cluster.awaitLeader(SETTLE);
  }

  @AfterEach
  void undoFaults() {
    cluster.heal();
    for (int id : cluster.ids()) {
      if (cluster.state(id) == ClusterHarness.State.PAUSED) {
        cluster.resume(id);
      }
    }
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      figures.add("history", history.summary());
      figures.add("requests answered 404 by the server, not the store (app not deployed yet)",
          Long.toString(history.operations().stream()
              .filter(op -> op.result().status() == 404 && op.result().outcome() == KvResult.Outcome.FAILED)
              .count()));
      figures.write(cluster.workDir().resolve("figures.txt"));
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void writesThroughEveryNodeAreReadThroughAnother() {
    for (int node : cluster.ids()) {
      int other = cluster.ids().get(node % cluster.ids().size());
      String key = use("rw-" + node);
      KvResult written = probes.put(node, key, "written-via-" + node);
      assertThat(written.isOk()).as("put via node %d: %s", node, written).isTrue();

      KvResult read = probes.getLinearizable(other, key);
      assertThat(read.value()).as("read via node %d of a write via node %d", other, node)
          .isEqualTo("written-via-" + node);
      assertThat(read.revision()).as("revision read back").isEqualTo(written.revision());
    }
    assertHistoryLinearizable();
  }

  @Test
  @SuppressWarnings("try") // the workload runs in the background for the whole block
  @Order(2)
  void killedLeaderIsReplacedQuicklyAndCatchesUpAfterRestart() throws IOException {
    List<Duration> failovers = new ArrayList<>();
    try (Workload clients = mixedClients("kill")) {
      for (int round = 1; round <= LEADER_KILLS; round++) {
        failovers.add(killLeaderThenRestartIt(round));
      }
    }
    figures.addSamples("kill -9 leader -> first acknowledged write", failovers);
    assertThat(failovers).as("time from kill -9 of the leader to an acknowledged write")
        .allSatisfy(d -> assertThat(d).isLessThan(FAILOVER_LIMIT));
    assertHistoryLinearizable();
  }

  private Duration killLeaderThenRestartIt(int round) throws IOException {
    int old = cluster.awaitLeader(SETTLE);
    List<Integer> survivors = others(old);
    String key = use("failover-" + round);

    long killedAt = System.nanoTime();
    cluster.kill9(old);
    Duration toWrite = fastProbes.writeUntilAccepted(survivors, key, killedAt, SETTLE);
    assertThat(toWrite).as("no write accepted within %s of killing leader %d%s", SETTLE, old,
        cluster.describeViews()).isNotNull();
    figures.add("round " + round + ": kill -9 leader " + old + " -> first acknowledged write", toWrite);

    int successor = cluster.awaitLeaderAmong(survivors, SETTLE);
    assertThat(successor).isNotEqualTo(old);
    KvResult marker = probes.put(successor, key, "while-" + old + "-was-down");
    assertThat(marker.isOk()).as("write through the new leader: %s", marker).isTrue();

    long restartedAt = System.nanoTime();
    cluster.restart(old);
    figures.add("round " + round + ": restart of node " + old + " -> serving HTTP",
        Duration.ofNanos(System.nanoTime() - restartedAt));
    probes.awaitLocalValue(old, key, "while-" + old + "-was-down", SETTLE);
    return toWrite;
  }

  @Test
  @SuppressWarnings("try") // the workload runs in the background for the whole block
  @Order(3)
  void pausedFollowerDoesNotStopTheClusterAndCatchesUpWhenContinued() {
    int leader = cluster.awaitLeader(SETTLE);
    long term = cluster.view(leader).term();
    int follower = others(leader).get(0);
    List<Integer> serving = List.of(leader, others(leader).get(1));
    String key = use("pause-marker");
    String last = null;
    try (Workload clients = mixedClients("pause")) {
      cluster.pause(follower);
      long pausedAt = System.nanoTime();
      for (int i = 0; i < 10 || System.nanoTime() - pausedAt < Duration.ofSeconds(3).toNanos(); i++) {
        int via = serving.get(i % serving.size());
        last = "w" + i;
        KvResult result = probes.put(via, key, last);
        assertThat(result.isOk()).as("write %d via node %d while follower %d is paused: %s", i, via,
            follower, result).isTrue();
      }
      cluster.resume(follower);
      probes.awaitLocalValue(follower, key, last, SETTLE);
    }
    // PreVote + CheckQuorum: a node that slept through its election timeout must not depose the leader.
    assertThat(cluster.awaitLeader(SETTLE)).as("leader after the paused follower came back").isEqualTo(leader);
    assertThat(cluster.view(leader).term()).as("term after the paused follower came back").isEqualTo(term);
    assertHistoryLinearizable();
  }

  @Test
  @SuppressWarnings("try") // the workload runs in the background for the whole block
  @Order(4)
  void isolatedLeaderAcceptsNoWriteWhileTheMajorityElectsAndServes() {
    int isolated = cluster.awaitLeader(SETTLE);
    List<Integer> majority = others(isolated);
    String probeKey = use("isolated-probe");
    List<KvResult> isolatedWrites = new ArrayList<>();
    try (Workload clients = mixedClients("partition")) {
      cluster.isolate(isolated);
      long isolatedAt = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        isolatedWrites.add(fastProbes.put(isolated, probeKey, "isolated-" + i));
      }
      int newLeader = cluster.awaitLeaderAmong(majority, SETTLE);
      Duration toWrite = fastProbes.writeUntilAccepted(majority, use("majority-marker"), isolatedAt, SETTLE);
      assertThat(toWrite).as("majority side accepted no write; leader %d%s", newLeader,
          cluster.describeViews()).isNotNull();
      figures.add("leader isolated -> majority acknowledged a write", toWrite);
      for (int i = 5; i < 8; i++) {
        isolatedWrites.add(fastProbes.put(isolated, probeKey, "isolated-" + i));
      }
      cluster.heal();
      cluster.awaitLeader(SETTLE);
    }
    assertThat(isolatedWrites).as("writes sent to the isolated old leader")
        .noneMatch(KvResult::isOk);
    probes.awaitSameDataEverywhere(keys, SETTLE);
    assertHistoryLinearizable();
  }

  @Test
  @SuppressWarnings("try") // the workload runs in the background for the whole block
  @Order(5)
  void everyAcknowledgedWriteSurvivesACrashOfAllNodes() throws IOException {
    int leader = cluster.awaitLeader(SETTLE);
    Map<String, String> before = probes.readAll(leader, keys);
    try (Workload writers = Workload.uniqueKeyWriters(uris(), "ledger-", history, CLIENTS,
        MAX_OPS_PER_CLIENT, MAX_WORKLOAD_TIME, 5)) {
      ClusterHarness.sleep(Duration.ofSeconds(3));
      cluster.killAll9();
    }
    figures.add("restart of all three nodes -> leader agreed", cluster.restartAll());

    int newLeader = cluster.awaitLeader(SETTLE);
    assertThat(probes.readAll(newLeader, before.keySet())).as("data after the crash").isEqualTo(before);
    List<HistoryRecorder.Op> ledger = history.acknowledgedWrites().stream()
        .filter(op -> op.key().startsWith("ledger-")).toList();
    assertThat(ledger).as("acknowledged ledger writes before the crash").isNotEmpty();
    for (HistoryRecorder.Op write : ledger) {
      keys.add(write.key());
      assertThat(probes.getLinearizable(newLeader, write.key()).value())
          .as("acknowledged write of %s", write.key()).isEqualTo(write.value());
    }
    figures.add("acknowledged ledger writes checked after the crash", Integer.toString(ledger.size()));
    probes.awaitSameDataEverywhere(keys, SETTLE);
    assertHistoryLinearizable();
  }

  private void assertHistoryLinearizable() {
    long began = System.nanoTime();
    SimLinearizability.Verdict verdict = new SimLinearizability().check(history.operations());
    figures.add("linearizability check (" + history.operations().size() + " ops)",
        Duration.ofNanos(System.nanoTime() - began));
    String dumped = "";
    String key = HistoryDump.failingKey(verdict.explanation());
    if (!verdict.linearizable()) {
      List<HistoryRecorder.Op> ops = history.operations();
      if (key != null) {
        dumped = "\nfull history of " + key + ": "
            + HistoryDump.write(ops, key, cluster.workDir().resolve("history-" + key + ".txt"));
      }
      // also when the budget ran out: the history can then be checked offline with a larger one
      dumped += "\nwhole history, for offline checks: " + HistoryFile.save(ops, cluster.workDir().resolve("history.tsv"));
    }
    assertThat(verdict.linearizable()).as(verdict.explanation() + dumped).isTrue();
  }

  private Workload mixedClients(String step) {
    List<String> stepKeys = List.of(use(step + "-a"), use(step + "-b"), use(step + "-c"));
    return Workload.mixed(uris(), stepKeys, history, CLIENTS, MAX_OPS_PER_CLIENT, MAX_WORKLOAD_TIME,
        step.hashCode());
  }

  private String use(String key) {
    keys.add(key);
    return key;
  }

  private List<Integer> others(int id) {
    return cluster.ids().stream().filter(other -> other != id).toList();
  }

  private List<URI> uris() {
    return cluster.ids().stream().map(cluster::uri).toList();
  }
}
