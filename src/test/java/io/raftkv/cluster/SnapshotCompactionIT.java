package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Snapshots and log compaction on three real nodes with a small threshold (500 entries, 100 retained),
 * so a few thousand writes cross several thresholds: the log stays bounded on every node, snapshots
 * are taken, reads stay correct; a follower that was down while the leader compacted past everything
 * it had catches up by InstallSnapshot and then holds the same data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SnapshotCompactionIT {
  private static final long THRESHOLD = 500;
  private static final long RETAIN = 100;
  /**
   * Entries appended while one snapshot is being written (the loop keeps appending; compaction only
   * happens when the file is durable). On this machine that is a few dozen at most; allow a fifth of
   * a threshold.
   */
  private static final long WRITE_WINDOW_SLACK = THRESHOLD / 5;
  private static final String SHARED = "shared-";
  private static final Duration SETTLE = Duration.ofSeconds(30);

  private final HistoryRecorder history = new HistoryRecorder();
  private ElasticCluster cluster;
  private ClusterChecks checks;

  @BeforeAll
  void startCluster() throws IOException {
    cluster = ElasticCluster.start(getClass().getSimpleName(), 1, 3,
        List.of("-Draftkv.snapshot.threshold=" + THRESHOLD, "-Draftkv.log.retain=" + RETAIN));
    checks = new ClusterChecks(cluster);
    checks.awaitLeader(cluster.running(), SETTLE);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  @SuppressWarnings("try") // the sampler polls in the background for the whole block
  void logStaysBoundedAcrossSeveralSnapshotsAndReadsStayCorrect() {
    Map<Integer, Long> maxLogEntries = new ConcurrentHashMap<>();
    Set<Long> snapshotsSeen = new ConcurrentSkipListSet<>();
    try (Sampler sampler = new Sampler(maxLogEntries, snapshotsSeen)) {
      writeAtLeast(6 * THRESHOLD, "bulk-");
    }
    int leader = checks.awaitLeader(cluster.running(), SETTLE);
    for (int id : cluster.running()) {
      checks.awaitCaughtUp(id, leader, SETTLE);
      AdminClient.NodeStats s = checks.stats(id);
      assertThat(s.snapshotIndex()).as("node %d took snapshots: %s", id, s).isGreaterThanOrEqualTo(4 * THRESHOLD);
      assertThat(s.logEntries()).as("node %d's log after the writes: %s", id, s).isLessThanOrEqualTo(THRESHOLD + RETAIN);
      assertThat(s.logFirstIndex()).as("node %d compacted its log: %s", id, s).isGreaterThan(THRESHOLD);
      checks.assertHoldsAcknowledgedWrites(id, leader, history, SHARED, true);
    }
    System.out.println("snapshot indexes seen: " + snapshotsSeen + "; max log entries per node: " + maxLogEntries);
    assertThat(snapshotsSeen).as("distinct snapshot indexes seen while writing").hasSizeGreaterThanOrEqualTo(4);
    assertThat(maxLogEntries.values()).as("log entries per node at any sample (threshold %d + retain %d)",
        THRESHOLD, RETAIN).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(THRESHOLD + RETAIN + WRITE_WINDOW_SLACK));
    ClusterChecks.assertLinearizable(history);
  }

  @Test
  @Order(2)
  void followerDownForSeveralThresholdsCatchesUpByInstallSnapshot() throws IOException {
    int leader = checks.awaitLeader(cluster.running(), SETTLE);
    int follower = cluster.running().stream().filter(id -> id != leader).findFirst().orElseThrow();
    long before = checks.stats(follower).appliedIndex();
    cluster.kill9(follower);

    writeAtLeast(5 * THRESHOLD, "while-down-");
    int current = checks.awaitLeader(cluster.running(), SETTLE);
    AdminClient.NodeStats leaderStats = checks.stats(current);
    assertThat(leaderStats.logFirstIndex()).as("the leader compacted past everything node %d has (it applied %d)",
        follower, before).isGreaterThan(before + 1);

    cluster.restart(follower);
    checks.awaitCaughtUp(follower, current, Duration.ofSeconds(60));
    AdminClient.NodeStats after = checks.stats(follower);
    assertThat(after.snapshotsInstalled()).as("node %d installed a snapshot from the leader: %s", follower, after)
        .isGreaterThanOrEqualTo(1);
    assertThat(after.snapshotIndex()).as("node %d's snapshot index jumped past what it had", follower)
        .isGreaterThan(before);
    checks.assertHoldsAcknowledgedWrites(follower, current, history, SHARED, true);
    ClusterChecks.assertLinearizable(history);
  }

  /** Writes through every running node with 4 clients until {@code count} puts were acknowledged. */
  private void writeAtLeast(long count, String prefix) {
    List<URI> nodes = cluster.running().stream().map(cluster::uri).toList();
    try (ChurnClients clients = ChurnClients.start(() -> nodes, prefix, 4, history, 4, 5_000,
        Duration.ofSeconds(120), Duration.ZERO, 7)) {
      long began = System.nanoTime();
      ClusterChecks.awaitTrue(() -> clients.acknowledged() >= count, Duration.ofSeconds(120),
          () -> "only " + clients.acknowledged() + " of " + count + " writes acknowledged (" + history.summary() + ")"
              + checks.views(cluster.running()));
      System.out.printf("%d writes acknowledged in %d ms (%s)%n", clients.acknowledged(),
          (System.nanoTime() - began) / 1_000_000, history.summary());
    }
  }

  /** Polls every running node's storage figures while writes go on. */
  private final class Sampler implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;

    Sampler(Map<Integer, Long> maxLogEntries, Set<Long> snapshotsSeen) {
      thread = new Thread(() -> {
        while (!stop) {
          for (int id : cluster.running()) {
            AdminClient.NodeStats s = checks.stats(id);
            if (s == null) continue;
            maxLogEntries.merge(id, s.logEntries(), Math::max);
            if (s.snapshotIndex() > 0) snapshotsSeen.add(s.snapshotIndex());
          }
          ClusterHarness.sleep(Duration.ofMillis(100));
        }
      }, "storage-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      stop = true;
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
