package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.ClusterHarness;
import io.raftkv.cluster.HttpKvClient;
import io.raftkv.cluster.KvResult;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code GET /watch} (docs/api.md, "Watch") on a real three-node cluster with a small history
 * (raftkv.watch.history.events={@value #HISTORY}), a 1 s heartbeat and at most {@value #MAX_WATCHERS}
 * watchers per node: 400s, 410 for a compacted revision, 503 for one watcher too many, and watchers
 * on a follower and on the leader that see exactly the acknowledged history while the leader is killed
 * and restarted and they keep reconnecting to other nodes with Last-Event-ID.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WatchIT {
  static final int HISTORY = 300;
  static final int MAX_WATCHERS = 8;
  private static final int WRITES = 200;
  private static final int KEYS = 5;

  private static ClusterHarness cluster;
  private static final HttpKvClient kv = new HttpKvClient(Duration.ofSeconds(1), Duration.ofSeconds(5));

  @BeforeAll
  static void startCluster() throws IOException {
    ClusterHarness.Options options = new ClusterHarness.Options(ClusterHarness.Options.defaults().chain(),
        List.of("-Draftkv.watch.history.events=" + HISTORY, "-Draftkv.watch.heartbeat.ms=1000",
            "-Draftkv.watch.max.watchers=" + MAX_WATCHERS), Map.of());
    cluster = ClusterHarness.start(Path.of("target", "cluster-it", "WatchIT"), 3, options);
    cluster.awaitLeader(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  private static HttpJson node(int id) {
    return new HttpJson(cluster.uri(id), HttpClient.Version.HTTP_1_1);
  }

  private static long put(String key, String value) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(30));
      KvResult r = kv.put(cluster.uri(leader), key, value);
      if (r.isOk()) return r.revision();
      WatchWriter.sleep(100);
    }
    throw new AssertionError("no acknowledged put of " + key);
  }

  /** Waits (bounded) until a node's own state shows {@code key} at {@code revision}. */
  private static void awaitApplied(int id, String key, long revision) {
    for (int i = 0; i < 100; i++) {
      KvResult r = kv.get(cluster.uri(id), key, "stale");
      if (r.isOk() && r.revision() >= revision) return;
      WatchWriter.sleep(100);
    }
    throw new AssertionError("node " + id + " did not apply revision " + revision);
  }

  @Test
  @Order(1)
  void badParametersAre400Json() throws Exception {
    int id = cluster.ids().get(0);
    for (String query : List.of("fromRevision=abc", "fromRevision=0", "prefix=a&key=b", "key=")) {
      HttpJson.Reply reply = node(id).get("watch?" + query);
      assertThat(reply.status()).as(query + ": " + reply).isEqualTo(400);
      assertThat(reply.contentType()).startsWith("application/json");
      assertThat(reply.json().getString("error")).startsWith("invalid");
    }
    HttpResponse<String> json = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(cluster.uri(id).resolve("watch")).header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).as(json.body()).isEqualTo(406);
    assertThat(json.body()).contains("\"error\":\"not acceptable\"");
  }

  @Test
  @Order(2)
  void aRevisionOlderThanTheHistoryIs410WithTheOldestKept() throws Exception {
    long last = 0;
    for (int i = 0; i < HISTORY + 30; i++) last = put("c/k", "v" + i);
    for (int id : cluster.ids()) awaitApplied(id, "c/k", last);
    SseStream sse = new SseStream(Duration.ofSeconds(5));
    for (int id : cluster.ids()) {
      URI uri = cluster.uri(id);
      SseStream.Outcome gone = sse.read(uri.resolve("watch?fromRevision=1"), null, e -> false);
      assertThat(gone.status()).as("node %d: %s", id, gone).isEqualTo(410);
      JsonObject body = new HttpJson.Reply(410, gone.body(), "", null).json();
      assertThat(body.getString("error")).isEqualTo("revision compacted");
      long oldest = body.getJsonNumber("oldestRevision").longValue();
      assertThat(oldest).isGreaterThan(1).isLessThanOrEqualTo(last - HISTORY + 1 + 30);
      List<SseStream.Event> first = new ArrayList<>();
      SseStream.Outcome ok = sse.read(uri.resolve("watch?prefix=c/&fromRevision=" + oldest), null,
          e -> !(e.name().equals("put") && first.add(e)));
      assertThat(ok.status()).isEqualTo(200);
      assertThat(Long.parseLong(first.get(0).id())).isGreaterThanOrEqualTo(oldest);
    }
  }

  @Test
  @Order(5)
  void oneWatcherTooManyIs503WithRetryAfterAndClosedStreamsFreeTheirPlaces() throws Exception {
    int id = cluster.ids().get(1);
    URI watch = cluster.uri(id).resolve("watch?key=nothing");
    List<Thread> open = new ArrayList<>();
    for (int i = 0; i < MAX_WATCHERS; i++) {
      java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
      Thread t = new Thread(() -> {
        // A place may still be held by a stream an earlier test closed: the server notices a gone
        // client at its next write (a heartbeat), so a 503 here is retried for a few heartbeats.
        for (int attempt = 0; attempt < 30 && opened.getCount() > 0; attempt++) {
          try {
            SseStream.Outcome outcome = new SseStream(Duration.ofSeconds(5)).read(watch, null, e -> {
              opened.countDown();
              return holding;
            });
            if (outcome.status() == 200) return;
          } catch (Exception ignored) {
            // retried
          }
          WatchWriter.sleep(300);
        }
      });
      t.start();
      open.add(t);
      assertThat(opened.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("stream %d opened", i).isTrue();
    }
    SseStream.Outcome refused = new SseStream(Duration.ofSeconds(5)).read(watch, null, e -> false);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(refused.retryAfter()).isNotNull();
    assertThat(new HttpJson.Reply(503, refused.body(), "", null).json().getString("error")).isEqualTo("unavailable");
    holding = false; // each stream leaves at its next heartbeat; the server notices at the one after
    for (Thread t : open) t.join(10_000);
    int status = 0;
    for (int i = 0; i < 50 && status != 200; i++) {
      status = new SseStream(Duration.ofSeconds(5)).read(watch, null, e -> false).status();
      if (status != 200) WatchWriter.sleep(200);
    }
    assertThat(status).as("a place frees up once the clients are gone").isEqualTo(200);
  }

  private static volatile boolean holding = true;

  @Test
  @Order(4)
  void watchersSeeExactlyTheAcknowledgedHistoryThroughALeaderKillAndRestart() throws Exception {
    long start = put("w-start", "x");
    int leader = cluster.awaitLeader(Duration.ofSeconds(30));
    int follower = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    List<ResumingWatcher> watchers = List.of(watcher("on-follower", follower, start), watcher("on-leader", leader, start));
    watchers.forEach(ResumingWatcher::start);
    WatchWriter writer = new WatchWriter(cluster, kv, KEYS);
    writer.run(WRITES, leader);
    long end = put("w/end", "end");
    writer.acknowledged(end, "w/end", "end");
    watchers.forEach(w -> w.stopAt(end));
    for (ResumingWatcher w : watchers) w.join(Duration.ofSeconds(120));
    cluster.awaitRestarted(leader);
    for (ResumingWatcher w : watchers) {
      System.out.println("[cluster-it] WatchIT " + w + "; acknowledged " + writer.acknowledged().size());
      check(w, writer, start, end);
    }
    assertThat(watchers.get(0).changes()).isEqualTo(watchers.get(1).changes());
    for (int id : cluster.ids()) { // every node, the restarted one included, replays the same history
      ResumingWatcher fresh = watcher("fresh-" + id, id, start);
      fresh.stopAt(end);
      fresh.run();
      assertThat(fresh.changes()).as(fresh.toString()).isEqualTo(watchers.get(0).changes());
    }
  }

  private static ResumingWatcher watcher(String name, int firstNode, long afterRevision) {
    List<Integer> order = new ArrayList<>(List.of(firstNode));
    cluster.ids().stream().filter(id -> id != firstNode).forEach(order::add);
    return new ResumingWatcher(name, cluster::uri, order, "prefix=w/", afterRevision, 40, Duration.ofSeconds(150));
  }

  private static void check(ResumingWatcher w, WatchWriter writer, long start, long end) {
    assertThat(w.failure()).as(w.toString()).isNull();
    assertThat(w.done()).as("reached the end: %s", w).isTrue();
    List<ResumingWatcher.Change> seen = w.changes();
    long previous = start;
    Set<ResumingWatcher.Change> distinct = new HashSet<>();
    for (ResumingWatcher.Change c : seen) {
      assertThat(c.revision()).as("increasing revisions in %s", w).isGreaterThan(previous);
      assertThat(distinct.add(c)).as("no duplicate %s", c).isTrue();
      assertThat(writer.couldHaveHappened(c)).as("%s was written (acknowledged or outcome unknown)", c).isTrue();
      previous = c.revision();
    }
    assertThat(previous).isEqualTo(end);
    assertThat(seen).as("every acknowledged write, in %s", w).containsAll(writer.acknowledged());
  }
}
