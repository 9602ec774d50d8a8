package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restarted node takes part in Raft long before its HTTP API serves (io.raftkv.boot.EarlyStart):
 * with both followers killed the leader has no quorum, and writes through the leader's HTTP API must
 * succeed again once the followers' JVMs have started, seconds before either follower's own API
 * serves. When the deployment started the Raft node (as before the agent) the first write came less
 * than a second before the first restarted node's API, which opens right after its deployment.
 */
class EarlyRaftIT {
  /** How much earlier than the first restarted node's API the writes must be back. */
  private static final Duration MARGIN = Duration.ofSeconds(2);
  private static final Duration BOUND = Duration.ofSeconds(180);
  private static final Duration POLL = Duration.ofMillis(50);

  private static ClusterHarness cluster;
  private final HttpKvClient kv = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(2));

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = ClusterHarness.start("EarlyRaftIT", 3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void writesResumeBeforeTheRestartedFollowersServeHttp() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(60));
    URI leaderApi = cluster.uri(leader);
    assertThat(kv.put(leaderApi, "early", "v0").outcome()).isEqualTo(KvResult.Outcome.OK);
    List<Integer> followers = cluster.ids().stream().filter(id -> id != leader).toList();
    for (int id : followers) cluster.kill9(id);

    long restarted = System.nanoTime();
    for (int id : followers) cluster.startInBackground(id);
    long firstWrite = -1;
    long firstFollowerApi = -1;
    for (int i = 0; System.nanoTime() - restarted < BOUND.toNanos() && (firstWrite < 0 || firstFollowerApi < 0); i++) {
      if (firstWrite < 0 && kv.put(leaderApi, "early", "v" + i).outcome() == KvResult.Outcome.OK) {
        firstWrite = System.nanoTime() - restarted;
      }
      for (int id : followers) {
        if (firstFollowerApi < 0 && kv.get(cluster.uri(id), "early", "stale").outcome() == KvResult.Outcome.OK) {
          firstFollowerApi = System.nanoTime() - restarted;
        }
      }
      ClusterHarness.sleep(POLL);
    }
    for (int id : followers) cluster.awaitRestarted(id);
    System.out.printf("[cluster-it] EarlyRaftIT: writes back %d ms after the restarts, first follower API %d ms%n",
        firstWrite / 1_000_000, firstFollowerApi / 1_000_000);

    assertThat(firstWrite).as("writes through the leader's API came back").isPositive();
    assertThat(firstFollowerApi).as("a restarted follower's API served").isPositive();
    assertThat(Duration.ofNanos(firstWrite).plus(MARGIN))
        .as("writes back (%d ms) at least %s before a restarted follower's API (%d ms)",
            firstWrite / 1_000_000, MARGIN, firstFollowerApi / 1_000_000)
        .isLessThan(Duration.ofNanos(firstFollowerApi));
    assertThat(kv.get(leaderApi, "early", "linearizable").outcome()).isEqualTo(KvResult.Outcome.OK);
  }
}
