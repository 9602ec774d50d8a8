package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Membership changes on real nodes while clients write: a node joins with {@code bin/raftkv-node
 * --join} and becomes a voter holding the leader's data; the leader is killed in the middle of an add
 * and the next leader refuses a second change (409) and finishes the add itself; leadership moves on request; a removed follower stops counting and cannot disrupt the others;
 * a node leaves with {@code --leave}; the leader removes itself by handing over first. The steps run in
 * order on one cluster (starts cost ~30 s each); the client history is checked for linearizability.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipIT {
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final String SHARED = "shared-";

  private final HistoryRecorder history = new HistoryRecorder();
  private final List<Integer> members = new CopyOnWriteArrayList<>(List.of(1, 2, 3));
  private ElasticCluster cluster;
  private ClusterChecks checks;
  private AdminClient admin;
  private ChurnClients clients;

  @BeforeAll
  void startCluster() throws IOException {
    cluster = ElasticCluster.start(getClass().getSimpleName(), 2, 3, List.of());
    checks = new ClusterChecks(cluster);
    admin = checks.admin();
    checks.awaitLeader(members, SETTLE);
    clients = ChurnClients.start(() -> members.stream().map(cluster::uri).toList(), "m-", 4, history, 3,
        20_000, Duration.ofMinutes(6), Duration.ofMillis(20), 11);
  }

  @AfterAll
  void stopCluster() {
    if (clients != null) clients.close();
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  void badMembershipRequestsAreJsonErrors() {
    URI node = cluster.uri(1);
    assertJsonError(admin.addMember(node, "{\"id\": 4}"), 400);
    assertJsonError(admin.addMember(node, "{\"id\": 4, \"peer\": \"no-port-here\"}"), 400);
    assertJsonError(admin.addMember(node, "{\"id\": 0, \"peer\": \"127.0.0.1:9\"}"), 400);
    assertJsonError(admin.addMember(node, "not json"), 400);
    assertJsonError(admin.addMember(node, "{\"id\": 1, \"peer\": \"127.0.0.1:9\"}"), 400); // already a voter
    assertJsonError(admin.removeMember(node, "abc"), 400);
    assertJsonError(admin.removeMember(node, "99"), 404);
    assertJsonError(admin.transferLeader(node, "{\"to\": 99}"), 400);
    assertThat(checks.stats(1).voters()).as("bad requests changed nothing").containsExactly(1L, 2L, 3L);
  }

  @Test
  @Order(2)
  void joiningNodeBecomesVoterAndServesTheLeadersData() throws IOException {
    long began = System.nanoTime();
    cluster.join(4, 1); // returns once bin/raftkv-node saw node 4 become a voter
    System.out.printf("node 4 joined under load in %d ms%n", (System.nanoTime() - began) / 1_000_000);
    members.add(4);
    checks.awaitVoters(members, List.of(1L, 2L, 3L, 4L), SETTLE);
    assertThat(checks.stats(4).membership()).isEqualTo("voter");
    ClusterHarness.sleep(Duration.ofSeconds(2)); // node 4 also takes client traffic now

    int leader = checks.awaitLeader(members, SETTLE);
    checks.assertHoldsAcknowledgedWrites(4, leader, history, SHARED, false);
  }

  /**
   * Issue 9: the leader is killed (-9) in the middle of an add. The new leader knows of the join from
   * the replicated configuration: it refuses a second change (409 naming the joining node) and, once
   * node 5 runs, promotes it by itself — node 5 is started without {@code --join}, so nothing asks again.
   */
  @Test
  @Order(3)
  void aLeaderKilledInTheMiddleOfAnAddLeavesTheJoinToTheNextLeader() throws IOException {
    NodeSpec five = cluster.reserve(5);
    String body = "{\"id\": 5, \"peer\": \"" + five.peerAddress() + "\", \"http\": \"" + five.httpAddress() + "\"}";
    int leader = checks.awaitLeader(members, SETTLE);
    int via = members.stream().filter(id -> id != leader).findFirst().orElseThrow();
    // Node 5 is not running yet: the leader adds it as a learner and waits for it to catch up.
    CompletableFuture<AdminClient.Answer> add = CompletableFuture.supplyAsync(() -> admin.addMember(cluster.uri(via), body));
    ClusterChecks.awaitTrue(() -> members.stream().allMatch(id -> checks.stats(id).members().stream().anyMatch(m -> m.id() == 5)),
        SETTLE, () -> "node 5 never appeared as a learner" + checks.views(members));
    ClusterHarness.sleep(Duration.ofSeconds(1)); // the learner entry commits (a majority has it already)

    members.remove(Integer.valueOf(leader));
    cluster.kill9(leader);
    int next = checks.awaitLeader(members, SETTLE);
    int other = members.stream().filter(id -> id != next).findFirst().orElseThrow();
    AdminClient.Answer[] second = new AdminClient.Answer[1];
    ClusterChecks.awaitTrue(() -> {
      second[0] = admin.removeMember(cluster.uri(next), Integer.toString(other));
      assertThat(second[0].status()).as("a second change on the new leader: %s", second[0].body()).isIn(409, 503);
      return second[0].body().contains("node 5 is joining");
    }, SETTLE, () -> "the new leader " + next + " never named the join in its refusal: " + second[0].body());
    assertJsonError(second[0], 409);
    System.out.println("first add through " + via + " after the leader died: " + add.getNow(null));

    cluster.startExisting(5, members);
    members.add(5);
    cluster.restart(leader);
    members.add(leader);
    checks.awaitVoters(members, List.of(1L, 2L, 3L, 4L, 5L), SETTLE);
    assertThat(checks.stats(5).membership()).isEqualTo("voter");
  }

  @Test
  @Order(4)
  void leadershipMovesOnRequest() {
    int leader = checks.awaitLeader(members, SETTLE);
    int target = members.stream().filter(id -> id != leader).reduce((a, b) -> b).orElseThrow();
    long began = System.nanoTime();
    AdminClient.Answer moved = admin.transferLeader(cluster.uri(leader), "{\"to\": " + target + "}");
    long tookMs = (System.nanoTime() - began) / 1_000_000;
    assertThat(moved.status()).as("transfer to %d: %s", target, moved.body()).isEqualTo(200);
    assertThat(checks.awaitLeader(members, SETTLE)).isEqualTo(target);
    System.out.printf("leadership transfer %d -> %d took %d ms%n", leader, target, tookMs);
    assertThat(tookMs).as("a transfer completes in about one election round").isLessThan(5_000);

    AdminClient.Answer any = admin.transferLeader(cluster.uri(members.get(0)), "");
    assertThat(any.status()).as("transfer to any voter: %s", any.body()).isEqualTo(200);
    assertThat(checks.awaitLeader(members, SETTLE)).isNotEqualTo(target);
  }

  @Test
  @Order(5)
  void removedFollowerIsToldAndCannotDisruptTheCluster() {
    int leader = checks.awaitLeader(members, SETTLE);
    int removed = members.stream().filter(id -> id != leader).findFirst().orElseThrow();
    int via = members.stream().filter(id -> id != leader && id != removed).findFirst().orElseThrow();
    members.remove(Integer.valueOf(removed));
    AdminClient.Answer answer = admin.removeMember(cluster.uri(via), Integer.toString(removed));
    assertThat(answer.status()).as("removal of %d through follower %d: %s", removed, via, answer.body()).isEqualTo(200);
    checks.awaitVoters(members, members.stream().map(Long::valueOf).sorted().toList(), SETTLE);

    ClusterChecks.awaitTrue(() -> "removed".equals(checks.stats(removed).membership()), SETTLE,
        () -> "node " + removed + " does not say it was removed" + checks.views(List.of(removed)));
    long term = checks.stats(leader).term();
    ClusterHarness.sleep(Duration.ofSeconds(5)); // several election timeouts of the removed node
    assertThat(checks.awaitLeader(members, SETTLE)).as("leader while the removed node runs").isEqualTo(leader);
    assertThat(checks.stats(leader).term()).as("term while the removed node runs").isEqualTo(term);
    cluster.stop(removed);
  }

  @Test
  @Order(6)
  void nodeLeavesWithTheScript() throws Exception {
    int leaving = members.stream().filter(id -> id >= 4).reduce((a, b) -> b).orElseThrow();
    members.remove(Integer.valueOf(leaving));
    cluster.leave(leaving);
    assertThat(cluster.isAlive(leaving)).as("node %d stopped after leaving", leaving).isFalse();
    checks.awaitVoters(members, members.stream().map(Long::valueOf).sorted().toList(), SETTLE);
  }

  @Test
  @Order(7)
  void removingTheLeaderHandsLeadershipOverFirst() {
    int leader = checks.awaitLeader(members, SETTLE);
    members.remove(Integer.valueOf(leader));
    AdminClient.Answer answer = admin.removeMember(cluster.uri(leader), Integer.toString(leader));
    assertThat(answer.status()).as("leader %d removing itself: %s", leader, answer.body()).isEqualTo(200);
    int next = checks.awaitLeader(members, SETTLE);
    assertThat(next).isNotEqualTo(leader);
    checks.awaitVoters(members, members.stream().map(Long::valueOf).sorted().toList(), SETTLE);
    cluster.stop(leader);

    clients.close();
    int current = checks.awaitLeader(members, SETTLE);
    for (int id : members) checks.assertHoldsAcknowledgedWrites(id, current, history, SHARED, true);
    ClusterChecks.assertLinearizable(history);
    System.out.println("membership history: " + history.summary());
  }

  private static void assertJsonError(AdminClient.Answer answer, int status) {
    assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
    assertThat(answer.body()).as("JSON error body").startsWith("{").contains("\"error\"");
  }
}
