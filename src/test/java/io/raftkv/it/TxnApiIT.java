package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.ClusterHarness;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Transactions ({@code POST /txn}) and idempotent retries ({@code Idempotency-Key}, docs/api.md) on a
 * real three-node cluster: a txn through a follower, a compare-and-swap race with exactly one winner,
 * JSON 400/413s, an idempotent PUT whose answer was lost retried at another node, and one retried at
 * another node after the leader was killed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TxnApiIT {
  private static ClusterHarness cluster;
  private static int leader;
  private static List<Integer> followers;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = ClusterHarness.start("TxnApiIT", 3);
    leader = cluster.awaitLeader(Duration.ofSeconds(60));
    followers = cluster.ids().stream().filter(id -> id != leader).toList();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static HttpJson node(int id) {
    return new HttpJson(cluster.uri(id), HttpClient.Version.HTTP_1_1);
  }

  private static JsonObject ok(HttpJson.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.json();
  }

  @Test
  @Order(1)
  void aTxnThroughAFollowerWritesEveryKeyAtOneRevision() {
    ok(node(leader).json("PUT", "kv/txn1/e", "{\"value\":\"old\"}"));
    JsonObject out = ok(node(followers.get(0)).json("POST", "txn", """
        {"compare":[{"key":"txn1/c","exists":false},{"key":"txn1/e","value":"old"}],
         "success":[{"op":"put","key":"txn1/a","value":"1"},{"op":"put","key":"txn1/b","value":"2"},
                    {"op":"delete","key":"txn1/e"},{"op":"get","key":"txn1/a"}],
         "failure":[{"op":"put","key":"txn1/failed","value":"x"}]}"""));
    assertThat(out.getBoolean("succeeded")).as(out.toString()).isTrue();
    long revision = out.getJsonNumber("revision").longValue();
    var results = out.getJsonArray("results");
    assertThat(results.getJsonObject(0).getJsonNumber("revision").longValue()).isEqualTo(revision);
    assertThat(results.getJsonObject(1).getJsonNumber("revision").longValue()).isEqualTo(revision);
    assertThat(results.getJsonObject(2).getBoolean("deleted")).isTrue();
    assertThat(results.getJsonObject(3).getString("value")).isEqualTo("1");
    for (int id : cluster.ids()) { // linearizable reads on every node see the whole txn
      assertThat(ok(node(id).get("kv/txn1/b")).getJsonNumber("revision").longValue()).isEqualTo(revision);
      assertThat(node(id).get("kv/txn1/e").status()).isEqualTo(404);
      assertThat(node(id).get("kv/txn1/failed").status()).isEqualTo(404);
    }
    JsonObject again = ok(node(followers.get(1)).json("POST", "txn", """
        {"compare":[{"key":"txn1/c","exists":false},{"key":"txn1/e","value":"old"}],
         "failure":[{"op":"get","key":"txn1/e"},{"op":"get","key":"txn1/b"}]}"""));
    assertThat(again.getBoolean("succeeded")).isFalse();
    assertThat(again.getJsonArray("results").getJsonObject(0).getBoolean("found")).isFalse();
  }

  @Test
  @Order(2)
  void ofTwoRacingCompareAndSwapsExactlyOneWins() throws Exception {
    for (int round = 0; round < 5; round++) {
      String key = "race/" + round;
      long seen = ok(node(leader).json("PUT", "kv/" + key, "{\"value\":\"start\"}")).getJsonNumber("revision").longValue();
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<JsonObject>> racers = new ArrayList<>();
      for (int racer = 0; racer < 2; racer++) {
        int via = racer == 0 ? followers.get(0) : followers.get(1);
        String body = "{\"compare\":[{\"key\":\"" + key + "\",\"revision\":" + seen + "}],"
            + "\"success\":[{\"op\":\"put\",\"key\":\"" + key + "\",\"value\":\"racer" + racer + "\"}],"
            + "\"failure\":[{\"op\":\"get\",\"key\":\"" + key + "\"}]}";
        racers.add(CompletableFuture.supplyAsync(() -> {
          awaitQuietly(go);
          return ok(node(via).json("POST", "txn", body));
        }));
      }
      go.countDown();
      List<JsonObject> answers = new ArrayList<>();
      for (CompletableFuture<JsonObject> r : racers) answers.add(r.get(30, TimeUnit.SECONDS));
      List<Integer> winners = new ArrayList<>();
      for (int i = 0; i < 2; i++) if (answers.get(i).getBoolean("succeeded")) winners.add(i);
      assertThat(winners).as(answers.toString()).hasSize(1);
      JsonObject loser = answers.get(1 - winners.get(0));
      assertThat(loser.getJsonArray("results").getJsonObject(0).getString("value")).isEqualTo("racer" + winners.get(0));
      assertThat(ok(node(leader).get("kv/" + key)).getString("value")).isEqualTo("racer" + winners.get(0));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @Order(3)
  void badTxnsAreJson400sAndTooManyOps413() {
    for (String bad : List.of("{\"compare\":", "[]", "{\"compare\":[{\"key\":\"a\"}]}",
        "{\"success\":[{\"op\":\"upsert\",\"key\":\"a\"}]}", "{\"compare\":[{\"key\":\"a\",\"value\":\"x\",\"revision\":1}]}",
        "{\"success\":[{\"op\":\"put\",\"key\":\"a\"}]}", "{\"success\":[{\"op\":\"get\"}]}")) {
      HttpJson.Reply reply = node(followers.get(0)).json("POST", "txn", bad);
      assertThat(reply.status()).as(bad + " -> " + reply).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("application/json");
      assertThat(reply.json().getString("error")).isNotBlank();
    }
    String ops = "{\"op\":\"get\",\"key\":\"a\"},".repeat(129);
    HttpJson.Reply tooMany = node(leader).json("POST", "txn", "{\"success\":[" + ops.substring(0, ops.length() - 1) + "]}");
    assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(413);
    assertThat(tooMany.json().getString("error")).isEqualTo("txn too large");
    HttpJson.Reply badKey = node(leader).json("PUT", "kv/k", "{\"value\":\"v\"}", Map.of("Idempotency-Key", "two words"));
    assertThat(badKey.status()).as(badKey.toString()).isEqualTo(400);
  }

  /**
   * The answer of the first attempt is lost (the client hangs up right after sending): it was applied
   * all the same, and the retry at another node answers its outcome instead of writing version 2.
   */
  @Test
  @Order(4)
  void aRetryAfterALostAnswerIsNotAppliedAgain() throws Exception {
    String idem = UUID.randomUUID().toString();
    String body = "{\"value\":\"lost-answer\"}";
    sendAndHangUp(followers.get(0), "PUT", "/kv/lost", body, idem);
    JsonObject applied = awaitKey(leader, "lost", Duration.ofSeconds(20)); // the first attempt took effect
    assertThat(applied.getJsonNumber("version").longValue()).isEqualTo(1);
    JsonObject retry = ok(node(followers.get(1)).json("PUT", "kv/lost", body, Map.of("Idempotency-Key", idem)));
    assertThat(retry).isEqualTo(applied);
    assertThat(ok(node(leader).get("kv/lost")).getJsonNumber("version").longValue()).isEqualTo(1);
    // Without the key the same retry is a second write.
    assertThat(ok(node(followers.get(1)).json("PUT", "kv/lost", body)).getJsonNumber("version").longValue()).isEqualTo(2);
  }

  /** Writes a whole request on a socket and closes it without reading the answer. */
  private static void sendAndHangUp(int id, String method, String path, String body, String idempotencyKey)
      throws IOException {
    java.net.URI uri = cluster.uri(id);
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head = method + " " + uri.getPath().replaceAll("/$", "") + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
        + uri.getPort() + "\r\nContent-Type: application/json\r\nIdempotency-Key: " + idempotencyKey
        + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n";
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    }
  }

  private static JsonObject awaitKey(int id, String key, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    HttpJson.Reply reply = node(id).get("kv/" + key);
    while (reply.status() == 404 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      reply = node(id).get("kv/" + key);
    }
    return ok(reply);
  }

  @Test
  @Order(5)
  void anIdempotentPutRetriedAfterTheLeaderDiedIsAppliedOnce() {
    String idem = UUID.randomUUID().toString();
    Map<String, String> header = Map.of("Idempotency-Key", idem);
    JsonObject first = ok(node(followers.get(0)).json("PUT", "kv/once", "{\"value\":\"v1\"}", header));
    assertThat(first.getJsonNumber("version").longValue()).isEqualTo(1);
    String txnIdem = UUID.randomUUID().toString();
    String lockTxn = "{\"compare\":[{\"key\":\"lock\",\"exists\":false}],\"success\":[{\"op\":\"put\",\"key\":\"lock\",\"value\":\"me\"}]}";
    JsonObject firstTxn = ok(node(followers.get(0)).json("POST", "txn", lockTxn, Map.of("Idempotency-Key", txnIdem)));
    assertThat(firstTxn.getBoolean("succeeded")).isTrue();

    cluster.kill9(leader);
    int newLeader = cluster.awaitLeaderAmong(followers, Duration.ofSeconds(60));
    int other = followers.stream().filter(id -> id != newLeader).findFirst().orElseThrow();

    HttpJson.Reply retry = node(other).json("PUT", "kv/once", "{\"value\":\"v1\"}", header);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
    assertThat(retry.json()).isEqualTo(first); // the first outcome: same revision, version 1
    JsonObject now = ok(node(newLeader).get("kv/once"));
    assertThat(now.getJsonNumber("version").longValue()).isEqualTo(1);
    assertThat(now.getJsonNumber("revision").longValue()).isEqualTo(first.getJsonNumber("revision").longValue());

    assertThat(ok(node(newLeader).json("POST", "txn", lockTxn, Map.of("Idempotency-Key", txnIdem)))).isEqualTo(firstTxn);
    HttpJson.Reply reused = node(other).json("PUT", "kv/once", "{\"value\":\"v2\"}", header);
    assertThat(reused.status()).as(reused.toString()).isEqualTo(422);
    assertThat(reused.json().getString("error")).isEqualTo("idempotency key reused");
    assertThat(ok(node(newLeader).get("kv/once")).getString("value")).isEqualTo("v1");
  }
}
