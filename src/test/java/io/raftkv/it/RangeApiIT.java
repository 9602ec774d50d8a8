package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.ClusterHarness;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Range reads ({@code GET /kv?prefix=...}, docs/api.md) on a real three-node cluster, with lease reads
 * enabled: through the leader and both followers at every consistency, paged with after/more, cut short
 * by the byte bound, counted, and refused with JSON 400s.
 */
class RangeApiIT {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final List<String> CONSISTENCIES = List.of("linearizable", "lease", "stale");

  private static ClusterHarness cluster;
  private static int leader;
  private static List<Integer> followers;

  @BeforeAll
  static void startCluster() throws IOException {
    ClusterHarness.Options lease = new ClusterHarness.Options(ClusterHarness.Options.defaults().chain(),
        List.of("-Draftkv.read.lease=true"), Map.of());
    cluster = ClusterHarness.start(Path.of("target", "cluster-it", "RangeApiIT"), 3, lease);
    leader = cluster.awaitLeader(Duration.ofSeconds(60));
    followers = cluster.ids().stream().filter(id -> id != leader).toList();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  /** HTTP/1.1: an h2c upgrade garbles larger answers now and then (docs/api.md, "HTTP versions"). */
  private static HttpJson node(int id) {
    return new HttpJson(cluster.uri(id), HttpClient.Version.HTTP_1_1);
  }

  /** A query parameter value, percent-encoded. */
  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A key as a URL path, percent-encoded but for its '/'. */
  private static String path(String key) {
    return q(key).replace("%2F", "/");
  }

  /** Writes {@code prefix + name} for each name (alternately through the leader and a follower); key → revision. */
  private static TreeMap<String, Long> write(String prefix, List<String> names, String value) {
    TreeMap<String, Long> written = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      String key = prefix + names.get(i);
      HttpJson.Reply put = node(i % 2 == 0 ? leader : followers.get(0))
          .json("PUT", "kv/" + path(key), "{\"value\":\"" + value + i + "\"}");
      assertThat(put.status()).as(put.toString()).isEqualTo(200);
      written.put(key, put.json().getJsonNumber("revision").longValue());
    }
    return written;
  }

  private static List<String> keys(JsonObject page) {
    return page.getJsonArray("items").getValuesAs(JsonObject.class).stream().map(o -> o.getString("key")).toList();
  }

  private static long revision(JsonObject json) {
    return json.getJsonNumber("revision").longValue();
  }

  private static JsonObject ok(HttpJson.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    return reply.json();
  }

  @Test
  void everyNodeAnswersTheWholeRangeInKeyOrderAtEveryConsistency() {
    String prefix = "range-" + UUID.randomUUID() + "/";
    List<String> names = List.of("b", "a", "a/b", "a/b/c", "\u00e9t\u00e9", "\u65e5\u672c/\u6771\u4eac",
        "\uD83D\uDE00", "z z", "a0", "\uFFFD");
    TreeMap<String, Long> written = write(prefix, names, "v");
    long lastWrite = written.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    write("range-" + UUID.randomUUID() + "-outside/", List.of("x"), "o"); // a neighbour that must not show
    for (int id : cluster.ids()) {
      for (String consistency : CONSISTENCIES) {
        String path = "kv?prefix=" + q(prefix) + "&consistency=" + consistency;
        JsonObject page = consistency.equals("stale") ? awaitStale(id, path, written.size()) : ok(node(id).get(path));
        String where = "node " + id + (id == leader ? " (leader) " : " (follower) ") + consistency;
        assertThat(keys(page)).as(where).containsExactlyElementsOf(written.keySet());
        assertThat(page.getBoolean("more")).as(where).isFalse();
        assertThat(revision(page)).as(where + ": read at or after the last acknowledged write")
            .isGreaterThanOrEqualTo(lastWrite);
        for (JsonObject item : page.getJsonArray("items").getValuesAs(JsonObject.class)) {
          assertThat(revision(item)).isEqualTo(written.get(item.getString("key")));
          assertThat(item.getJsonNumber("version").longValue()).isEqualTo(1);
          assertThat(revision(item)).isLessThanOrEqualTo(revision(page));
          String name = item.getString("key").substring(prefix.length());
          assertThat(item.getString("value")).isEqualTo("v" + names.indexOf(name));
        }
      }
    }
  }

  /** A stale read may lag the writes it follows: bounded retries until this node has applied them. */
  private static JsonObject awaitStale(int id, String path, int size) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    JsonObject page = ok(node(id).get(path));
    while (page.getJsonArray("items").size() < size && System.nanoTime() < deadline) {
      pause(50);
      page = ok(node(id).get(path));
    }
    return page;
  }

  @Test
  void pagesWithAfterAndMoreVisitEveryKeyOnceOnAFollower() {
    String prefix = "page-" + UUID.randomUUID() + "/";
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 23; i++) names.add(String.format("k%02d", 22 - i));
    TreeMap<String, Long> written = write(prefix, names, "p");
    HttpJson follower = node(followers.get(1));
    List<String> seen = new ArrayList<>();
    String after = "";
    for (int pages = 0; pages < 10; pages++) {
      JsonObject page = ok(follower.get("kv?prefix=" + q(prefix) + "&limit=7&after=" + q(after)));
      seen.addAll(keys(page));
      if (!page.getBoolean("more")) break;
      assertThat(keys(page)).hasSize(7);
      after = seen.get(seen.size() - 1);
    }
    assertThat(seen).containsExactlyElementsOf(written.keySet());
    JsonObject count = ok(follower.get("kv?prefix=" + q(prefix) + "&countOnly=true&after=" + q(prefix + "k09")));
    assertThat(count.keySet()).containsExactly("revision", "count");
    assertThat(count.getJsonNumber("count").longValue()).isEqualTo(13);
    assertThat(ok(node(leader).get("kv/?prefix=" + q(prefix) + "&countOnly=true&consistency=lease"))
        .getJsonNumber("count").longValue()).isEqualTo(23);
  }

  @Test
  void startAndEndAreHalfOpenAndEndMayBeLeftOut() {
    String prefix = "span-" + UUID.randomUUID() + "/";
    write(prefix, List.of("a", "b", "c", "d"), "s");
    HttpJson any = node(followers.get(0));
    assertThat(keys(ok(any.get("kv?start=" + q(prefix + "b") + "&end=" + q(prefix + "d")))))
        .containsExactly(prefix + "b", prefix + "c");
    JsonObject toTheEnd = ok(any.get("kv?start=" + q(prefix + "c") + "&limit=2"));
    assertThat(keys(toTheEnd).get(0)).isEqualTo(prefix + "c");
    assertThat(keys(toTheEnd)).hasSize(2); // the next key may be another test's: keys sort by test prefix
  }

  /** Five values of 1,000,000 bytes: the 4 MiB bound (RangeQuery.MAX_BYTES) takes four, then the fifth. */
  @Test
  void theByteBoundCutsAPageShortWithMore() {
    String prefix = "big-" + UUID.randomUUID() + "/";
    String big = "x".repeat(1_000_000);
    for (int i = 0; i < 5; i++) {
      HttpJson.Reply put = node(leader).json("PUT", "kv/" + path(prefix + i), "{\"value\":\"" + big + "\"}");
      assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }
    JsonObject first = ok(node(followers.get(0)).get("kv?prefix=" + q(prefix)));
    assertThat(keys(first)).containsExactly(prefix + "0", prefix + "1", prefix + "2", prefix + "3");
    assertThat(first.getBoolean("more")).isTrue();
    JsonObject rest = ok(node(followers.get(0)).get("kv?prefix=" + q(prefix) + "&after=" + q(prefix + "3")));
    assertThat(keys(rest)).containsExactly(prefix + "4");
    assertThat(rest.getBoolean("more")).isFalse();
    assertThat(rest.getJsonArray("items").getJsonObject(0).getString("value")).isEqualTo(big);
  }

  /** A thousand keys in one answer on each node; prints how long such a range takes (noisy: a shared machine). */
  @Test
  void aThousandKeysInOneAnswer() {
    String prefix = "thousand-" + UUID.randomUUID() + "/";
    IntStream.range(0, 1_000).parallel().forEach(i -> {
      HttpJson.Reply put = node(leader).json("PUT", "kv/" + path(prefix + String.format("%04d", i)),
          "{\"value\":\"value-" + i + "\"}");
      assertThat(put.status()).as(put.toString()).isEqualTo(200);
    });
    for (int id : List.of(leader, followers.get(0))) {
      for (String consistency : List.of("linearizable", "stale")) {
        long[] micros = new long[20];
        for (int round = 0; round < micros.length; round++) {
          long began = System.nanoTime();
          JsonObject page = ok(node(id).get("kv?prefix=" + q(prefix) + "&limit=1000&consistency=" + consistency));
          micros[round] = (System.nanoTime() - began) / 1_000;
          if (consistency.equals("linearizable")) { // a stale read on the follower may still lag the puts
            assertThat(page.getJsonArray("items")).hasSize(1_000);
            assertThat(page.getBoolean("more")).isFalse();
          }
        }
        Arrays.sort(micros);
        System.out.printf("[cluster-it] RangeApiIT: 1,000-key range on %s, %s: median %d us, max %d us (20 reads)%n",
            id == leader ? "leader" : "follower", consistency, micros[micros.length / 2], micros[micros.length - 1]);
      }
    }
  }

  @Test
  void badParametersAreJson400sOnEveryNode() {
    Map<String, String> refused = new TreeMap<>(Map.of(
        "kv?prefix=a&start=a", "invalid range",
        "kv?start=b&end=a", "invalid range",
        "kv?end=", "invalid range",
        "kv?limit=0", "invalid limit",
        "kv?limit=10001", "invalid limit",
        "kv?limit=ten", "invalid limit",
        "kv?countOnly=true&limit=5", "invalid limit",
        "kv?countOnly=maybe", "invalid countOnly",
        "kv?prefix=a&consistency=eventual", "invalid consistency",
        "kv?prefix=" + "k".repeat(4097), "invalid range"));
    for (int id : cluster.ids()) {
      refused.forEach((path, error) -> {
        HttpJson.Reply reply = node(id).get(path);
        assertThat(reply.status()).as(path + " -> " + reply).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.json().getString("error")).as(path).isEqualTo(error);
        assertThat(reply.json().get("detail")).isNotEqualTo(JsonValue.NULL);
      });
    }
    // As on single-key GET, a query parameter the endpoint does not know is ignored.
    JsonObject ignored = ok(node(leader).get("kv?prefix=none-" + UUID.randomUUID() + "&unknown=1"));
    assertThat(ignored.getJsonArray("items")).isEmpty();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
