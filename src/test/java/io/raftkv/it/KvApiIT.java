package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole HTTP API of the built WAR on Payara Micro, as a single-node cluster (configured by the
 * failsafe system properties in the pom). One deployment for all tests: each costs ~20 s.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KvApiIT {

  @Deployment(testable = false)
  static WebArchive war() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("raftkv.war", "target/raftkv.war")));
  }

  @ArquillianResource
  URL base;

  private HttpJson http;

  @BeforeEach
  void waitForLeader() throws Exception {
    http = new HttpJson(base.toURI());
    http.awaitLeader(Duration.ofSeconds(60));
  }

  /** Keys of one test never collide with another's, nor with an earlier run's data. */
  private static String key(String name) {
    return "it-" + UUID.randomUUID() + "/" + name;
  }

  private static void assertJsonError(HttpJson.Reply reply, int status, String error) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    assertThat(reply.json().getString("error")).isEqualTo(error);
  }

  @Test
  void theQuickStartCurlCommandsWork() {
    String key = key("foo");
    HttpJson.Reply put = http.curlStyle("PUT", "kv/" + key, "{\"value\":\"bar\"}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    JsonObject written = put.json();
    assertThat(written.getString("key")).isEqualTo(key);
    assertThat(written.getString("value")).isEqualTo("bar");
    long revision = written.getJsonNumber("revision").longValue();
    assertThat(revision).isPositive();
    assertThat(written.getJsonNumber("createRevision").longValue()).isEqualTo(revision);
    assertThat(written.getJsonNumber("version").longValue()).isEqualTo(1);

    JsonObject read = http.get("kv/" + key).json();
    assertThat(read).isEqualTo(written);

    HttpJson.Reply deleted = http.delete("kv/" + key);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().getBoolean("deleted")).isTrue();
    assertThat(deleted.json().getJsonNumber("revision").longValue()).isGreaterThan(revision);

    HttpJson.Reply gone = http.get("kv/" + key);
    assertJsonError(gone, 404, "key not found");
    assertThat(gone.json().getString("key")).isEqualTo(key);
    assertJsonError(http.delete("kv/" + key), 404, "key not found");
  }

  @Test
  void keysMayContainSlashesAndEveryConsistencyReadsTheWrite() {
    String key = key("a/b/c/");
    assertThat(http.json("PUT", "kv/" + key, "{\"value\":\"deep\"}").status()).isEqualTo(200);
    for (String consistency : new String[] {"linearizable", "lease", "stale", "LINEARIZABLE"}) {
      HttpJson.Reply read = http.get("kv/" + key + "?consistency=" + consistency);
      assertThat(read.status()).as(consistency).isEqualTo(200);
      assertThat(read.json().getString("value")).isEqualTo("deep");
      assertThat(read.json().getString("key")).isEqualTo(key);
    }
    assertJsonError(http.get("kv/" + key + "?consistency=eventual"), 400, "invalid consistency");
  }

  @Test
  void compareAndSetByRevisionValueAndAbsence() {
    String key = key("cas");
    assertThat(http.json("PUT", "kv/" + key, "{\"value\":\"v1\",\"prevExist\":false}").status()).isEqualTo(200);
    assertJsonError(http.json("PUT", "kv/" + key, "{\"value\":\"v1\",\"prevExist\":false}"), 412, "precondition failed");
    long revision = http.get("kv/" + key).json().getJsonNumber("revision").longValue();

    HttpJson.Reply swapped = http.json("PUT", "kv/" + key, "{\"value\":\"v2\",\"prevRevision\":" + revision + "}");
    assertThat(swapped.status()).as(swapped.toString()).isEqualTo(200);
    assertThat(swapped.json().getJsonNumber("version").longValue()).isEqualTo(2);

    HttpJson.Reply stale = http.json("PUT", "kv/" + key, "{\"value\":\"v3\",\"prevRevision\":" + revision + "}");
    assertJsonError(stale, 412, "precondition failed");
    assertThat(stale.json().getJsonObject("current").getString("value")).isEqualTo("v2");

    assertJsonError(http.json("PUT", "kv/" + key, "{\"value\":\"v3\",\"prevValue\":\"v1\"}"), 412, "precondition failed");
    assertThat(http.json("PUT", "kv/" + key, "{\"value\":\"v3\",\"prevValue\":\"v2\"}").status()).isEqualTo(200);
    assertThat(http.get("kv/" + key).json().getString("value")).isEqualTo("v3");
  }

  @Test
  void badBodiesAre400WithJsonErrors() {
    String path = "kv/" + key("bad");
    assertJsonError(http.curlStyle("PUT", path, "{\"value\":"), 400, "malformed JSON");
    assertJsonError(http.curlStyle("PUT", path, "value=bar"), 400, "malformed JSON");
    assertJsonError(http.curlStyle("PUT", path, ""), 400, "malformed JSON");
    assertJsonError(http.curlStyle("PUT", path, "{}"), 400, "invalid field");
    assertJsonError(http.curlStyle("PUT", path, "{\"value\":42}"), 400, "invalid field");
    assertJsonError(http.curlStyle("PUT", path, "{\"value\":null}"), 400, "invalid field");
    assertJsonError(http.curlStyle("PUT", path, "{\"value\":\"x\",\"prevRevison\":1}"), 400, "unknown field");
    assertJsonError(http.get(path), 404, "key not found");
  }

  @Test
  void badKeysAre400() {
    assertJsonError(http.curlStyle("PUT", "kv/", "{\"value\":\"x\"}"), 400, "invalid key");
    assertJsonError(http.curlStyle("PUT", "kv", "{\"value\":\"x\"}"), 400, "invalid key");
    // GET without a key is a range read over all keys (docs/api.md, "ranges"), not a bad key.
    assertThat(http.get("kv/").json().containsKey("items")).isTrue();
    String tooLong = "k".repeat(4097);
    assertJsonError(http.curlStyle("PUT", "kv/" + tooLong, "{\"value\":\"x\"}"), 400, "invalid key");
    assertThat(http.curlStyle("PUT", "kv/" + "k".repeat(4096), "{\"value\":\"x\"}").status()).isEqualTo(200);
  }

  @Test
  void oversizedValuesAndBodiesAre413() {
    String path = "kv/" + key("big");
    String limitValue = "v".repeat(1_048_576);
    assertThat(http.curlStyle("PUT", path, "{\"value\":\"" + limitValue + "\"}").status()).isEqualTo(200);
    assertJsonError(http.curlStyle("PUT", path, "{\"value\":\"" + limitValue + "v\"}"), 413, "value too large");
    byte[] hugeBody = ("{\"value\":\"" + "v".repeat(1_600_000) + "\"}").getBytes();
    assertJsonError(http.bytes("PUT", path, hugeBody), 413, "request body too large");
    assertThat(http.get(path).json().getString("value")).hasSize(1_048_576);
  }

  /**
   * Bodies far over the limit (raftkv.limits.body.bytes, 1.5 MiB) get the store's JSON 413 however
   * they are framed, and the node stops reading them after a bounded amount (the limit, then at most
   * RequestBodies' 4 MiB drain and the listener's 4 MiB max-swallowing-input-bytes, plus socket
   * buffers): a 64 MiB body is never read to its end. Before, a declared length over 2 MiB got
   * Grizzly's HTML 413, and a chunked body was drained up to 64 MiB.
   */
  @Test
  void hugeBodiesAreJson413AndAreNotReadToTheirEnd() throws Exception {
    RawHttp raw = new RawHttp(base.getHost(), base.getPort());
    String target = "/kv/" + key("huge");
    for (long size : new long[] {20L << 20, 64L << 20}) {
      for (boolean chunked : new boolean[] {false, true}) {
        RawHttp.HugeBodyAnswer answer = raw.sendHugeBody("PUT", target, size, chunked);
        String what = (size >> 20) + " MiB " + (chunked ? "chunked" : "with Content-Length") + ": " + answer;
        System.out.println("KvApiIT huge body " + what);
        assertThat(answer.response().status()).as(what).isEqualTo(413);
        assertThat(answer.response().contentType()).as(what).startsWith("application/json");
        assertThat(answer.response().body()).as(what).contains("\"error\":\"request body too large\"");
        if (size == 64L << 20) {
          assertThat(answer.writeRefused()).as(what).isTrue();
          assertThat(answer.bytesWritten()).as(what).isLessThan(size);
        }
      }
    }
    assertJsonError(http.get(target.substring(1)), 404, "key not found");
  }

  /**
   * OPTIONS answers 204 with the path's Allow header on every path (no WADL document, no text list);
   * TRACE is a JSON 405 with that Allow on every path, also where a servlet's default doTrace would
   * echo the request back (MicroProfile's /health). Before: Jersey's WADL XML, and an empty 405
   * from the listener.
   */
  @Test
  void optionsListsTheAllowedMethodsAndTraceIsAJson405() throws Exception {
    RawHttp raw = new RawHttp(base.getHost(), base.getPort());
    for (String path : new String[] {"/kv/" + key("o"), "/cluster", "/cluster/members", "/health"}) {
      RawHttp.Response options = raw.send(new RawHttp.Request("OPTIONS", path, List.of("Accept: */*"), new byte[0],
          false, 0, 1, 0, false, true));
      assertThat(options.status()).as(path + " " + options).isEqualTo(204);
      assertThat(options.body()).as(path).isEmpty();
      assertThat(options.allow()).as(path).contains("OPTIONS").doesNotContain("TRACE");
      RawHttp.Response trace = raw.send(new RawHttp.Request("TRACE", path, List.of("X-Secret: echo-me"), new byte[0],
          false, 0, 1, 0, false, true));
      assertThat(trace.status()).as(path + " " + trace).isEqualTo(405);
      assertThat(trace.contentType()).as(path).startsWith("application/json");
      assertThat(trace.body()).as(path).contains("\"error\":\"method not allowed\"").doesNotContain("echo-me");
      assertThat(trace.allow()).as(path).isEqualTo(options.allow());
    }
    assertThat(raw.send(new RawHttp.Request("OPTIONS", "/kv/" + key("o"), List.of(), new byte[0], false, 0, 1, 0,
        false, true)).allow()).contains("GET").contains("PUT").contains("DELETE");
    RawHttp.Response unknown = raw.send(new RawHttp.Request("OPTIONS", "/no/such", List.of(), new byte[0], false, 0,
        1, 0, false, true));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"error\":\"not found\"");
    // A broken query escape is a 400 for these methods too (was a 500: asking Jersey for the allowed
    // methods parsed the query; found by ApiFuzzIT).
    for (String method : new String[] {"OPTIONS", "TRACE"}) {
      RawHttp.Response broken = raw.send(new RawHttp.Request(method, "/kv/" + key("o") + "?consistency=%ZZ", List.of(),
          new byte[0], false, 0, 1, 0, false, true));
      assertThat(broken.status()).as(method + " " + broken).isEqualTo(400);
      assertThat(broken.body()).as(method).contains("\"error\":\"bad request\"");
    }
  }

  @Test
  void unknownPathsAndWrongMethodsAreJson() {
    assertJsonError(http.get("no/such/thing"), 404, "not found");
    assertJsonError(http.get(""), 404, "not found");
    HttpJson.Reply wrongMethod = http.curlStyle("POST", "kv/" + key("m"), "{\"value\":\"x\"}");
    assertJsonError(wrongMethod, 405, "method not allowed");
    assertThat(wrongMethod.allow()).contains("PUT").contains("GET").contains("DELETE");
    assertJsonError(http.delete("cluster"), 405, "method not allowed");
  }

  /**
   * Errors the servlet container raises itself (a method MicroProfile's health servlet does not
   * implement, PUT on /metrics) get the store's JSON through the web app's error page
   * (WEB-INF/web.xml), not Payara's HTML report.
   */
  @Test
  void errorsTheContainerRaisesAreTheStoresJsonToo() throws Exception {
    HttpJson server = new HttpJson(URI.create(base.toString()).resolve("/"));
    assertJsonError(server.curlStyle("PUT", "metrics", "{}"), 405, "method not allowed");
    assertJsonError(server.curlStyle("DELETE", "health", ""), 405, "method not allowed");
    RawHttp raw = new RawHttp(base.getHost(), base.getPort());
    RawHttp.Response connect = raw.send(new RawHttp.Request("CONNECT", "/health", List.of(), new byte[0], false, 0, 1,
        0, false, true));
    assertThat(connect.status()).isEqualTo(501);
    assertThat(connect.contentType()).startsWith("application/json");
    assertThat(connect.body()).contains("\"error\":\"not implemented\"");
    assertJsonError(http.get("raftkv-container-error"), 404, "not found");
  }

  /**
   * A form body over Grizzly's form-parameter limit (2 MiB) to a servlet that reads parameters
   * (MicroProfile's /health) is the client's error: a JSON 413. (Sent chunked, Grizzly parses it.)
   * It was a 500 "internal error" ("GRIZZLY0205: Post too large" through ContainerErrorServlet).
   */
  @Test
  void aFormBodyTooLargeToParseIsAJson413() throws Exception {
    HttpJson server = new HttpJson(URI.create(base.toString()).resolve("/"));
    String form = "a=" + "b".repeat(2_500_000);
    assertJsonError(server.curlStyle("POST", "health", form), 413, "request body too large");
    byte[] bytes = form.getBytes(StandardCharsets.US_ASCII);
    java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create(base.toString()).resolve("/health"))
            .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)))
            .build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    // Grizzly applies its form limit to a declared length only: a chunked form body is parsed (200)
    assertThat(chunked.statusCode()).as("chunked: " + chunked.body()).isLessThan(500);
    assertThat(server.curlStyle("POST", "health", "a=b").status()).as("a small form still reaches /health").isLessThan(500);
  }

  @Test
  void clusterShowsThisSingleNodeAsLeader() {
    JsonObject cluster = http.get("cluster").json();
    assertThat(cluster.getJsonNumber("leader").longValue()).isEqualTo(1);
    assertThat(cluster.getJsonNumber("term").longValue()).isPositive();
    assertThat(cluster.getJsonArray("members")).hasSize(1);
    JsonObject self = cluster.getJsonArray("members").getJsonObject(0);
    assertThat(self.getJsonNumber("id").longValue()).isEqualTo(1);
    assertThat(self.getString("role")).isEqualTo("leader");
    assertJsonError(http.json("POST", "cluster/members", "{\"id\":\"x\"}"), 400, "invalid field");
    assertJsonError(http.delete("cluster/members/abc"), 400, "invalid member id");
  }

  @Test
  void healthAndMetricsAreServedBesideTheApi() {
    String root = URI.create(base.toString()).resolve("/").toString();
    HttpJson server = new HttpJson(URI.create(root));
    assertThat(server.get("health/ready").body()).contains("\"name\":\"raftkv-api\",\"status\":\"UP\"");
    http.curlStyle("PUT", "kv/" + key("metric"), "{\"value\":\"m\"}");
    assertThat(server.get("metrics?scope=application").body()).contains("raftkv_api_request").contains("op=\"put\"");
  }

  /**
   * Issue 14.7 on the real container: JAX-RS writes a response on the thread that completes it, so a
   * client that does not read a large value holds that thread. Two such clients, each with a queue of
   * pipelined GETs of a 1 MB value, held both threads of the former 2-thread completion pool and every
   * other answer on the node waited for them. Now a plain write and read still answer promptly.
   */
  @Test
  void twoSlowReadersOfLargeValuesDoNotHoldUpOtherAnswers() throws Exception {
    String big = key("big");
    String value = "x".repeat(1_000_000);
    assertThat(http.json("PUT", "kv/" + big, "{\"value\":\"" + value + "\"}").status()).isEqualTo(200);
    String path = base.getPath() + (base.getPath().endsWith("/") ? "" : "/") + "kv/" + big;
    byte[] pipelined = ("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n")
        .repeat(40).getBytes(StandardCharsets.US_ASCII);
    List<Socket> slowReaders = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096); // before connecting, so the window stays small
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        s.getOutputStream().write(pipelined); // and never read a byte of the answers
        s.getOutputStream().flush();
        slowReaders.add(s);
      }
      Thread.sleep(3_000); // the node has answered what fits into the buffers and is now blocked writing

      String other = key("other");
      long start = System.nanoTime();
      assertThat(http.json("PUT", "kv/" + other, "{\"value\":\"v\"}").status()).isEqualTo(200);
      assertThat(http.get("kv/" + other).json().getString("value")).isEqualTo("v");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).as("a write and a read while two clients do not read their large answers")
          .isLessThan(5_000);
    } finally {
      for (Socket s : slowReaders) s.close();
    }
  }
}
