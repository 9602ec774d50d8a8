package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.ClusterHarness;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * TTLs (docs/ttl.md) on a real three-node cluster: a key put with {@code "ttl":2} is gone from every
 * node within one second after its TTL and watchers see an expired delete; expiry still happens after
 * the leader is killed; a node that was down while a key expired sees it expired once restarted; a put
 * without a TTL clears one; bad TTLs are 400 JSON. Times are measured from the acknowledged PUT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TtlIT {
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = ClusterHarness.start(Path.of("target", "cluster-it", "TtlIT"), 3, ClusterHarness.Options.defaults());
    cluster.awaitLeader(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static HttpJson node(int id) {
    return new HttpJson(cluster.uri(id), HttpClient.Version.HTTP_1_1);
  }

  /** Puts through the current leader (retrying an election), returning the answer's JSON and when it arrived. */
  private static Acked put(String key, String body) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      try {
        HttpJson.Reply reply = node(leader).json("PUT", "kv/" + key, body);
        if (reply.status() == 200) return new Acked(reply.json(), System.nanoTime());
      } catch (RuntimeException retried) {
        // the leader died or stepped down under the request: ask the next one
      }
      WatchWriter.sleep(100);
    }
    throw new AssertionError("no acknowledged put of " + key);
  }

  private record Acked(JsonObject entry, long atNanos) {
    long revision() {
      return entry.getJsonNumber("revision").longValue();
    }
  }

  private static HttpJson.Reply staleGet(int id, String key) {
    return node(id).get("kv/" + key + "?consistency=stale");
  }

  /**
   * Polls each node's own state (bounded) until {@code key} is gone, and returns per node how long
   * after {@code since} it was first seen gone.
   */
  private static Map<Integer, Duration> awaitGone(List<Integer> ids, String key, long since, Duration atMost) {
    Map<Integer, Duration> goneAfter = new LinkedHashMap<>();
    long deadline = System.nanoTime() + atMost.toNanos();
    while (goneAfter.size() < ids.size() && System.nanoTime() < deadline) {
      for (int id : ids) {
        if (goneAfter.containsKey(id)) continue;
        try {
          if (staleGet(id, key).status() == 404) goneAfter.put(id, Duration.ofNanos(System.nanoTime() - since));
        } catch (RuntimeException notServingYet) {
          // a restarting node: asked again
        }
      }
      WatchWriter.sleep(50);
    }
    assertThat(goneAfter.keySet()).as("nodes where %s is gone after %s", key, atMost).containsExactlyInAnyOrderElementsOf(ids);
    return goneAfter;
  }

  @Test
  @Order(1)
  void badTtlsAre400Json() {
    int id = cluster.ids().get(0);
    for (String ttl : List.of("0", "-1", "2.5", "\"2\"", "31536001")) {
      HttpJson.Reply reply = node(id).json("PUT", "kv/t/bad", "{\"value\":\"v\",\"ttl\":" + ttl + "}");
      assertThat(reply.status()).as(ttl + ": " + reply).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("application/json");
      assertThat(reply.json().getString("error")).isEqualTo("invalid field");
      assertThat(reply.json().getString("detail")).contains("'ttl'");
    }
  }

  @Test
  @Order(2)
  void aKeyWithTtl2IsGoneOnAllThreeNodesWithinASecondAfterItsTtlAndWatchersSeeAnExpiredDelete() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    int follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    List<SseStream.Event> events = new CopyOnWriteArrayList<>();
    AtomicBoolean watching = new AtomicBoolean();
    Thread watcher = new Thread(() -> {
      try {
        new SseStream(Duration.ofSeconds(15)).read(cluster.uri(follower).resolve("watch?prefix=t/a"), null, e -> {
          watching.set(true);
          if (!e.name().equals("heartbeat")) events.add(e);
          return !e.name().equals("delete");
        });
      } catch (Exception e) {
        events.add(new SseStream.Event(null, "failed", e.toString()));
      }
    });
    watcher.setDaemon(true);
    watcher.start();
    for (int i = 0; i < 100 && !watching.get(); i++) WatchWriter.sleep(100); // the first heartbeat proves it is open

    long sent = System.nanoTime();
    Acked acked = put("t/a", "{\"value\":\"v\",\"ttl\":2}");
    Acked cleared = put("t/kept", "{\"value\":\"v\",\"ttl\":2}");
    put("t/kept", "{\"value\":\"w\"}"); // a put without a TTL clears it
    assertThat(acked.entry().getInt("ttl")).isEqualTo(2);
    JsonObject read = node(leader).get("kv/t/a").json();
    assertThat(read.getInt("ttl")).isBetween(1, 2);
    JsonObject range = node(leader).get("kv?prefix=t/").json(); // range items show the TTL too
    assertThat(range.getJsonArray("items").getJsonObject(0).getString("key")).isEqualTo("t/a");
    assertThat(range.getJsonArray("items").getJsonObject(0).getInt("ttl")).isBetween(1, 2);
    assertThat(range.getJsonArray("items").getJsonObject(1).containsKey("ttl")).isFalse(); // t/kept
    // Not early: the leader's deadline is its apply + 2 s, so a read of its own state answered within
    // 1.9 s of sending the put must still see the key (a follower may not have applied the put yet).
    HttpJson.Reply early = staleGet(leader, "t/a");
    if (System.nanoTime() - sent < Duration.ofMillis(1900).toNanos()) {
      assertThat(early.status()).as("leader %d read early: %s", leader, early).isEqualTo(200);
    }

    Map<Integer, Duration> goneAfter = awaitGone(cluster.ids(), "t/a", acked.atNanos(), Duration.ofSeconds(10));
    System.out.println("TtlIT: ttl=2 key gone after " + goneAfter + " (from the acknowledged put)");
    assertThat(goneAfter.values()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2).plus(GRACE)));
    assertThat(goneAfter.values()).allSatisfy(d -> assertThat(d).isGreaterThan(Duration.ofMillis(1500)));

    watcher.join(10_000);
    assertThat(events).as("watch events").hasSize(2);
    assertThat(events.get(0).name()).isEqualTo("put");
    SseStream.Event expired = events.get(1);
    assertThat(expired.name()).isEqualTo("delete");
    assertThat(expired.data()).contains("\"key\":\"t/a\"", "\"value\":null", "\"expired\":true");
    assertThat(Long.parseLong(expired.id())).isGreaterThan(acked.revision()); // the expiry is a write of its own

    for (int id : cluster.ids()) {
      HttpJson.Reply kept = staleGet(id, "t/kept");
      assertThat(kept.status()).as("node %d: %s", id, kept).isEqualTo(200);
      assertThat(kept.json().getString("value")).isEqualTo("w");
      assertThat(kept.json().containsKey("ttl")).isFalse();
    }
    assertThat(cleared.entry().getInt("ttl")).isEqualTo(2);
  }

  @Test
  @Order(3)
  void expiryStillHappensAfterTheLeaderIsKilledAndTheKilledNodeSeesItExpiredWhenRestarted() throws Exception {
    int ttl = 4; // room for an election under a loaded machine before the deadline
    Acked acked = put("t/b", "{\"value\":\"v\",\"ttl\":" + ttl + "}");
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    List<Integer> survivors = new ArrayList<>(cluster.ids());
    survivors.remove(Integer.valueOf(leader));
    for (int id : survivors) { // both followers applied the put (so they count its TTL down) before the kill
      for (int i = 0; i < 100 && staleGet(id, "t/b").status() != 200; i++) WatchWriter.sleep(20);
    }
    cluster.kill9(leader);
    Map<Integer, Duration> goneAfter = awaitGone(survivors, "t/b", acked.atNanos(), Duration.ofSeconds(20));
    System.out.println("TtlIT: ttl=" + ttl + " key gone after " + goneAfter + " with the leader killed");
    assertThat(goneAfter.values()).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(ttl).plus(GRACE)));

    cluster.restart(leader);
    awaitGone(List.of(leader), "t/b", acked.atNanos(), Duration.ofSeconds(30));
  }

  @Test
  @Order(4)
  void aFollowerDownWhileTheKeyExpiredSeesItExpiredOnceRestarted() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    int follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    Acked acked = put("t/c", "{\"value\":\"v\",\"ttl\":2}");
    for (int i = 0; i < 100 && staleGet(follower, "t/c").status() != 200; i++) WatchWriter.sleep(20);
    cluster.kill9(follower);
    List<Integer> up = new ArrayList<>(cluster.ids());
    up.remove(Integer.valueOf(follower));
    awaitGone(up, "t/c", acked.atNanos(), Duration.ofSeconds(10));
    cluster.restart(follower);
    awaitGone(List.of(follower), "t/c", acked.atNanos(), Duration.ofSeconds(30));
  }
}
