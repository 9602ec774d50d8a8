package io.raftkv.api.kv;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.raftkv.api.FakeKvService;
import io.raftkv.kv.KvException;
import io.raftkv.kv.ReadConsistency;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The early key API on the JDK's HTTP server answers like the container's /kv fast path. */
class EarlyKvHandlerTest {
  private final FakeKvService kv = new FakeKvService();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private HttpServer server;
  private ExecutorService executor;
  private URI base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    Map<String, String> config = Map.of("raftkv.limits.body.bytes", "200");
    server.createContext("/", new EarlyKvHandler(kv, key -> Optional.ofNullable(config.get(key))));
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Test
  void putGetAndDeleteAnswerTheFastPathsBodies() throws Exception {
    HttpResponse<String> put = send("PUT", "/kv/a/b", "{\"value\":\"v1\"}", "Idempotency-Key", "op-1");
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(put.headers().firstValue("Connection")).as("no idle connection to cut at the hand-over").hasValue("close");
    String stored = new String(KvJson.entry(EntryResponse.of(
        kv.get("a/b", ReadConsistency.STALE).toCompletableFuture().join().orElseThrow())), StandardCharsets.UTF_8);
    assertThat(put.body()).isEqualTo(stored).contains("\"value\":\"v1\"");
    assertThat(kv.lastIdempotencyKey).isEqualTo("op-1");

    HttpResponse<String> get = send("GET", "/kv/a/b?consistency=lease", null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(stored);
    assertThat(kv.lastConsistency).isEqualTo(ReadConsistency.LEASE);

    HttpResponse<String> delete = send("DELETE", "/kv/a/b", null);
    assertThat(delete.statusCode()).isEqualTo(200);
    assertThat(delete.body()).contains("\"deleted\":true");
    HttpResponse<String> gone = send("GET", "/kv/a/b", null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.body()).isEqualTo("{\"error\":\"key not found\",\"key\":\"a/b\"}");
  }

  @Test
  void badInputGetsTheStoresClientErrors() throws Exception {
    HttpResponse<String> malformed = send("PUT", "/kv/k", "{\"value\":", (String[]) null);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("{\"error\":\"malformed JSON\"");
    HttpResponse<String> unknownField = send("PUT", "/kv/k", "{\"valu\":\"x\"}");
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(unknownField.body()).startsWith("{\"error\":\"unknown field\"");
    HttpResponse<String> tooLarge = send("PUT", "/kv/k", "{\"value\":\"" + "x".repeat(300) + "\"}");
    assertThat(tooLarge.statusCode()).as("the configured body limit (200 bytes)").isEqualTo(413);
    HttpResponse<String> badConsistency = send("GET", "/kv/k?consistency=bogus", null);
    assertThat(badConsistency.statusCode()).isEqualTo(400);
    assertThat(kv.get("k", ReadConsistency.STALE).toCompletableFuture().join()).as("nothing written").isEmpty();
  }

  @Test
  void everythingTheFastPathDoesNotAnswerIsTheStoresStarting503() throws Exception {
    for (String[] request : new String[][] {{"GET", "/cluster"}, {"GET", "/health/ready"}, {"GET", "/kv/k?prefix=a"},
        {"POST", "/kv/k"}, {"GET", "/kv/a%2Fb"}, {"PUT", "/kv/k?ttl=5"}, {"GET", "/kv/"}}) {
      HttpResponse<String> answer = send(request[0], request[1], request[0].equals("GET") ? null : "{\"value\":\"x\"}");
      assertThat(answer.statusCode()).as("%s %s", request[0], request[1]).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).as("%s %s", request[0], request[1]).hasValue("1");
      assertThat(answer.body()).isEqualTo("{\"error\":\"unavailable\",\"detail\":\"node is starting\"}");
    }
    assertThat(kv.get("k", ReadConsistency.STALE).toCompletableFuture().join()).as("nothing written").isEmpty();
  }

  @Test
  void aFailedCallIsTranslatedLikeInTheContainer() throws Exception {
    kv.failNext(new KvException.Unavailable("no leader known", 2));
    HttpResponse<String> answer = send("PUT", "/kv/k", "{\"value\":\"x\"}");
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(answer.body()).contains("\"error\":\"unavailable\"").contains("no leader known");
  }

  private HttpResponse<String> send(String method, String path, String body, String... header)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (header != null && header.length == 2) request.header(header[0], header[1]);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
