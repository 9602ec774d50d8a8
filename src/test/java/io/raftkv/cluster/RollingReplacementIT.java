package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rolling replacement under load: nodes 1, 2, 3 are replaced one by one by 4, 5, 6 (join the new one,
 * then remove the old one, whichever is leader) while clients write through the current members. At
 * the end only the new nodes are members, every acknowledged write is on each of them, and the client
 * history is linearizable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollingReplacementIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String SHARED = "shared-";

  private final HistoryRecorder history = new HistoryRecorder();
  private final List<Integer> members = new CopyOnWriteArrayList<>(List.of(1, 2, 3));
  private ElasticCluster cluster;
  private ClusterChecks checks;

  @BeforeAll
  void startCluster() throws IOException {
    cluster = ElasticCluster.start(getClass().getSimpleName(), 3, 3, List.of());
    checks = new ClusterChecks(cluster);
    checks.awaitLeader(members, SETTLE);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void everyNodeIsReplacedWhileClientsWriteAndNoAcknowledgedWriteIsLost() throws IOException {
    try (ChurnClients clients = ChurnClients.start(() -> members.stream().map(cluster::uri).toList(), "r-", 4,
        history, 3, 20_000, Duration.ofMinutes(6), Duration.ofMillis(20), 23)) {
      for (int old = 1; old <= 3; old++) {
        replace(old, old + 3);
      }
      ClusterHarness.sleep(Duration.ofSeconds(2));
      assertThat(clients.acknowledged()).as("writes acknowledged during the replacement").isGreaterThan(100);
    }
    checks.awaitVoters(members, List.of(4L, 5L, 6L), SETTLE);
    int leader = checks.awaitLeader(members, SETTLE);
    for (int id : members) checks.assertHoldsAcknowledgedWrites(id, leader, history, SHARED, true);
    ClusterChecks.assertLinearizable(history);
    System.out.println("rolling replacement history: " + history.summary());
  }

  private void replace(int old, int fresh) throws IOException {
    long began = System.nanoTime();
    int via = members.stream().filter(id -> id != old).findFirst().orElseThrow();
    cluster.join(fresh, via);
    members.add(fresh);
    List<Long> withBoth = members.stream().map(Long::valueOf).sorted().toList();
    checks.awaitVoters(members, withBoth, SETTLE);

    members.remove(Integer.valueOf(old)); // clients stop using it before it goes
    AdminClient.Answer removed = removeRetryingUnavailable(fresh, old);
    assertThat(removed.status()).as("removal of node %d: %s", old, removed.body()).isEqualTo(200);
    checks.awaitVoters(members, members.stream().map(Long::valueOf).sorted().toList(), SETTLE);
    checks.awaitLeader(members, SETTLE);
    cluster.stop(old);
    System.out.printf("node %d replaced by node %d in %d ms%n", old, fresh, (System.nanoTime() - began) / 1_000_000);
  }

  /**
   * 503 means nothing was done (e.g. the just-promoted node does not know the leader yet during an
   * election): like any client, retry it, a bounded number of times.
   */
  private AdminClient.Answer removeRetryingUnavailable(int via, int old) {
    AdminClient.Answer answer = checks.admin().removeMember(cluster.uri(via), Integer.toString(old));
    for (int attempt = 0; attempt < 30 && answer.status() == 503; attempt++) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while retrying a removal", e);
      }
      answer = checks.admin().removeMember(cluster.uri(via), Integer.toString(old));
    }
    return answer;
  }
}
