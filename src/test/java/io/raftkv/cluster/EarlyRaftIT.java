package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restarted node takes part in Raft, and answers its key API, long before its container has deployed
 * the application (io.raftkv.boot.EarlyStart, io.raftkv.boot.EarlyHttp): with both followers killed the
 * leader has no quorum; once the followers' JVMs have started, writes through the leader must succeed
 * again, and a restarted follower must answer a read of a key on its own HTTP port, both at least
 * {@link #MARGIN} before either follower's deployment is ready ({@code /health/ready} 200, which only the
 * container answers). When the deployment started the Raft node (before the agent) the first write came
 * less than a second before the first restarted node's deployment; without the early HTTP API, the
 * follower's first answer came with its deployment.
 */
class EarlyRaftIT {
  /** How much earlier than the first restarted follower's deployment the writes and its key API must be back. */
  private static final Duration MARGIN = Duration.ofSeconds(2);
  private static final Duration BOUND = Duration.ofSeconds(180);
  private static final Duration POLL = Duration.ofMillis(50);

  private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
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
  void writesAndKeyReadsResumeBeforeTheRestartedFollowersDeploy() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(60));
    URI leaderApi = cluster.uri(leader);
    assertThat(kv.put(leaderApi, "early", "v0").outcome()).isEqualTo(KvResult.Outcome.OK);
    List<Integer> followers = cluster.ids().stream().filter(id -> id != leader).toList();
    for (int id : followers) cluster.kill9(id);

    long restarted = System.nanoTime();
    for (int id : followers) cluster.startInBackground(id);
    long firstWrite = -1;
    long firstFollowerRead = -1;
    long firstDeployed = -1;
    for (int i = 0; System.nanoTime() - restarted < BOUND.toNanos() && firstDeployed < 0; i++) {
      if (firstWrite < 0 && kv.put(leaderApi, "early", "v" + i).outcome() == KvResult.Outcome.OK) {
        firstWrite = System.nanoTime() - restarted;
      }
      for (int id : followers) {
        if (firstFollowerRead < 0 && kv.get(cluster.uri(id), "early", "stale").outcome() == KvResult.Outcome.OK) {
          firstFollowerRead = System.nanoTime() - restarted;
        }
        if (firstDeployed < 0 && deployed(cluster.uri(id))) firstDeployed = System.nanoTime() - restarted;
      }
      ClusterHarness.sleep(POLL);
    }
    for (int id : followers) cluster.awaitRestarted(id);
    System.out.printf("[cluster-it] EarlyRaftIT: writes back %d ms after the restarts, first follower read %d ms,"
        + " first deployment ready %d ms%n", firstWrite / 1_000_000, firstFollowerRead / 1_000_000, firstDeployed / 1_000_000);

    assertThat(firstDeployed).as("a restarted follower's deployment became ready").isPositive();
    assertThat(firstWrite).as("writes through the leader's API came back").isPositive();
    assertThat(firstFollowerRead).as("a restarted follower answered a read").isPositive();
    assertThat(Duration.ofNanos(firstWrite).plus(MARGIN))
        .as("writes back (%d ms) at least %s before a restarted follower's deployment (%d ms)",
            firstWrite / 1_000_000, MARGIN, firstDeployed / 1_000_000)
        .isLessThan(Duration.ofNanos(firstDeployed));
    assertThat(Duration.ofNanos(firstFollowerRead).plus(MARGIN))
        .as("a follower's key API (%d ms) at least %s before its deployment (%d ms)",
            firstFollowerRead / 1_000_000, MARGIN, firstDeployed / 1_000_000)
        .isLessThan(Duration.ofNanos(firstDeployed));
    for (int id : followers) {
      assertThat(kv.get(cluster.uri(id), "early", "linearizable").outcome())
          .as("node %d serves through the container after the hand-over", id).isEqualTo(KvResult.Outcome.OK);
    }
    assertThat(kv.get(leaderApi, "early", "linearizable").outcome()).isEqualTo(KvResult.Outcome.OK);
  }

  /** Whether the container answers {@code /health/ready} with 200: the deployment is done. */
  private static boolean deployed(URI node) {
    try {
      HttpResponse<Void> ready = PROBE.send(HttpRequest.newBuilder(node.resolve("/health/ready"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
      return ready.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
