package io.raftkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CLI against in-process fake nodes: parsing, output formats, exit codes and endpoint failover. */
class RaftKvCliTest {
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A fake node answering PATH -> (status, body); records "port METHOD path body". */
  private int fakeNode(Map<String, String[]> answers) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int port = server.getAddress().getPort();
    server.createContext("/", exchange -> answer(port, exchange, answers));
    server.start();
    servers.add(server);
    return port;
  }

  private void answer(int port, HttpExchange exchange, Map<String, String[]> answers) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String query = exchange.getRequestURI().getRawQuery();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    idempotencyKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
    authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    requests.add(port + " " + exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query) + " " + body);
    String[] reply = answers.getOrDefault(exchange.getRequestMethod() + " " + path, new String[] {"404", "{\"error\":\"not found\"}"});
    byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private int run(String... args) {
    return RaftKvCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void getPrintsTheValueAndJsonPrintsTheEntry() throws IOException {
    int port = fakeNode(Map.of("GET /kv/foo", new String[] {"200", "{\"key\":\"foo\",\"value\":\"bar\",\"revision\":7}"}));
    assertThat(run("--endpoints=http://127.0.0.1:" + port, "get", "foo")).isEqualTo(0);
    assertThat(out.toString()).isEqualTo("bar\n");
    assertThat(requests).containsExactly(port + " GET /kv/foo?consistency=linearizable ");

    out.getBuffer().setLength(0);
    assertThat(run("--endpoints=127.0.0.1:" + port, "-o", "json", "get", "foo", "--consistency=stale")).isEqualTo(0);
    assertThat(out.toString()).isEqualTo("{\"key\":\"foo\",\"value\":\"bar\",\"revision\":7}\n");
  }

  @Test
  void keysAreEscapedInThePath() throws IOException {
    int port = fakeNode(Map.of());
    run("--endpoints=http://127.0.0.1:" + port, "get", "a b/c?d");
    assertThat(requests).containsExactly(port + " GET /kv/a%20b%2Fc%3Fd?consistency=linearizable ");
  }

  @Test
  void missingKeyIsOneErrorLineAndExitThree() throws IOException {
    int port = fakeNode(Map.of());
    assertThat(run("--endpoints=http://127.0.0.1:" + port, "get", "nope")).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(err.toString()).isEqualTo("raftkv: 404 not found\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void casSendsExactlyOnePreconditionAndAFailureExitsFour() throws IOException {
    int port = fakeNode(Map.of("PUT /kv/k", new String[] {"412", "{\"error\":\"precondition failed\",\"detail\":\"value differs\"}"}));
    assertThat(run("--endpoints=http://127.0.0.1:" + port, "cas", "k", "new", "--prev-value", "old")).isEqualTo(ExitCodes.CONFLICT);
    assertThat(requests).containsExactly(port + " PUT /kv/k {\"value\":\"new\",\"prevValue\":\"old\"}");
    assertThat(err.toString()).isEqualTo("raftkv: 412 precondition failed: value differs\n");

    requests.clear();
    run("--endpoints=http://127.0.0.1:" + port, "cas", "k", "v", "--create");
    assertThat(requests).containsExactly(port + " PUT /kv/k {\"value\":\"v\",\"prevExist\":false}");
  }

  @Test
  void badCommandLinesExitTwoWithoutTouchingTheNetwork() throws IOException {
    int port = fakeNode(Map.of());
    String endpoints = "--endpoints=http://127.0.0.1:" + port;
    assertThat(run(endpoints, "cas", "k", "v")).isEqualTo(ExitCodes.USAGE); // no precondition
    assertThat(run(endpoints, "cas", "k", "v", "--create", "--prev-value=x")).isEqualTo(ExitCodes.USAGE);
    assertThat(run(endpoints, "-o", "yaml", "get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(run(endpoints, "--timeout=soon", "get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("--endpoints=8081", "get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(run(endpoints, "get", "")).isEqualTo(ExitCodes.USAGE);
    assertThat(requests).isEmpty();
    assertThat(err.toString().lines()).allMatch(line -> line.startsWith("raftkv: ")).noneMatch(line -> line.contains("Exception"));
  }

  @Test
  void aTokenIsSentAsBearerOnEveryRequestAndMayComeFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    int port = fakeNode(Map.of("GET /kv/foo", new String[] {"200", "{\"key\":\"foo\",\"value\":\"bar\"}"}));
    String endpoints = "--endpoints=http://127.0.0.1:" + port;
    assertThat(run(endpoints, "get", "foo")).isEqualTo(0);
    assertThat(run(endpoints, "--token=abc.def.ghi", "get", "foo")).isEqualTo(0);
    java.nio.file.Path file = dir.resolve("reader.jwt");
    java.nio.file.Files.writeString(file, "from.the.file\n");
    assertThat(run(endpoints, "--token=@" + file, "get", "foo")).isEqualTo(0);
    assertThat(authorizations).containsExactly("null", "Bearer abc.def.ghi", "Bearer from.the.file");
  }

  @Test
  void unreadableTokenFilesAndCaCertificatesExitTwoWithoutTouchingTheNetwork(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
    int port = fakeNode(Map.of());
    String endpoints = "--endpoints=http://127.0.0.1:" + port;
    assertThat(run(endpoints, "--token=@" + dir.resolve("missing.jwt"), "get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(run(endpoints, "--token=two words", "get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(run(endpoints, "--cacert=" + dir.resolve("missing.pem"), "get", "k")).isEqualTo(ExitCodes.USAGE);
    java.nio.file.Path notPem = dir.resolve("not.pem");
    java.nio.file.Files.writeString(notPem, "hello");
    assertThat(run(endpoints, "--cacert=" + notPem, "get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(requests).isEmpty();
    assertThat(err.toString().lines()).hasSize(4).allMatch(line -> line.startsWith("raftkv: --"));
  }

  @Test
  void bareEndpointPortsReuseTheHostBeforeThem() {
    assertThat(Endpoints.parse(Endpoints.DEFAULT).stream().map(Object::toString))
        .containsExactly("http://127.0.0.1:8080", "http://127.0.0.1:8081", "http://127.0.0.1:8082");
  }

  @Test
  void failsOverToTheNextEndpointWhenANodeIsDownOrAnswers503() throws IOException {
    int down = closedPort();
    int busy = fakeNode(Map.of("PUT /kv/k", new String[] {"503", "{\"error\":\"unavailable\",\"detail\":\"no leader\"}"}));
    int good = fakeNode(Map.of("PUT /kv/k", new String[] {"200", "{\"key\":\"k\",\"value\":\"v\",\"revision\":3}"}));
    assertThat(run("--endpoints=http://127.0.0.1:" + down + "," + busy + "," + good, "put", "k", "v")).isEqualTo(0);
    assertThat(requests).containsExactly(busy + " PUT /kv/k {\"value\":\"v\"}", good + " PUT /kv/k {\"value\":\"v\"}");
    assertThat(out.toString()).contains("revision  3");
  }

  @Test
  void aWriteCarriesOneIdempotencyKeyThroughItsFailoverAndReadsNone() throws IOException {
    int busy = fakeNode(Map.of("PUT /kv/k", new String[] {"503", "{\"error\":\"unavailable\"}"},
        "GET /kv/k", new String[] {"200", "{\"key\":\"k\",\"value\":\"v\",\"revision\":3}"}));
    int good = fakeNode(Map.of("PUT /kv/k", new String[] {"200", "{\"key\":\"k\",\"value\":\"v\",\"revision\":3}"}));
    assertThat(run("--endpoints=http://127.0.0.1:" + busy + "," + good, "put", "k", "v")).isEqualTo(0);
    assertThat(run("--endpoints=http://127.0.0.1:" + busy + "," + good, "put", "k", "v")).isEqualTo(0);
    assertThat(run("--endpoints=http://127.0.0.1:" + busy, "get", "k")).isEqualTo(0);
    assertThat(idempotencyKeys).hasSize(5);
    assertThat(idempotencyKeys.get(0)).matches("[0-9a-f-]{36}").isEqualTo(idempotencyKeys.get(1));
    assertThat(idempotencyKeys.get(2)).isEqualTo(idempotencyKeys.get(3)).isNotEqualTo(idempotencyKeys.get(0));
    assertThat(idempotencyKeys.get(4)).isEqualTo("null");
  }

  @Test
  void noEndpointAnsweringExitsFiveWithTheLastProblem() throws IOException {
    int down = closedPort();
    assertThat(run("--endpoints=http://127.0.0.1:" + down, "get", "k")).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).isEqualTo("raftkv: no endpoint answered (last: http://127.0.0.1:" + down + ": connection refused)\n");
  }

  @Test
  void a404NotFromTheStoreIsNotMistakenForAMissingKey() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] html = "<html>Not Found</html>".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, html.length);
      exchange.getResponseBody().write(html);
      exchange.close();
    });
    server.start();
    servers.add(server);
    int good = fakeNode(Map.of("GET /kv/k", new String[] {"200", "{\"key\":\"k\",\"value\":\"v\"}"}));
    int booting = server.getAddress().getPort();
    assertThat(run("--endpoints=http://127.0.0.1:" + booting + "," + good, "get", "k")).isEqualTo(0);
    assertThat(out.toString()).isEqualTo("v\n");
  }

  @Test
  void statusAsksEveryMemberForItsOwnViewAndComputesLag() throws IOException {
    Map<Integer, String[]> views = new ConcurrentHashMap<>();
    int p1 = fakeNode(Map.of("GET /cluster", new String[] {"200", "{}"}));
    int p2 = fakeNode(Map.of("GET /cluster", new String[] {"200", "{}"}));
    int down = closedPort();
    String members = "[{\"id\":1,\"role\":\"leader\",\"http\":\"127.0.0.1:" + p1 + "\"},"
        + "{\"id\":2,\"role\":\"follower\",\"http\":\"127.0.0.1:" + p2 + "\"},"
        + "{\"id\":3,\"role\":\"follower\",\"http\":\"127.0.0.1:" + down + "\"}]";
    servers.forEach(s -> s.stop(0));
    servers.clear();
    p1 = restart(p1, "{\"self\":1,\"leader\":1,\"term\":4,\"commitIndex\":100,\"appliedIndex\":100,\"snapshotIndex\":50,\"dataBytes\":2254336,\"members\":" + members + "}");
    p2 = restart(p2, "{\"self\":2,\"leader\":1,\"term\":4,\"commitIndex\":98,\"appliedIndex\":90,\"snapshotIndex\":0,\"dataBytes\":1024,\"members\":" + members + "}");
    assertThat(run("--endpoints=http://127.0.0.1:" + p1, "status")).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(out.toString().lines().toList()).containsExactly(
        "ID  ENDPOINT                ROLE         TERM  COMMIT  APPLIED  LAG  SNAPSHOT  DISK",
        "1   http://127.0.0.1:" + p1 + "  leader       4     100     100      0    50        2.1 MiB",
        "2   http://127.0.0.1:" + p2 + "  follower     4     98      90       10   0         1.0 KiB",
        "3   http://127.0.0.1:" + down + "  unreachable  -     -       -        -    -         -");
  }

  private int restart(int port, String clusterView) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> answer(port, exchange, Map.of("GET /cluster", new String[] {"200", clusterView})));
    server.start();
    servers.add(server);
    return port;
  }

  @Test
  void membersListIsATableAndLeaderTransferPostsTheTarget() throws IOException {
    String view = "{\"self\":1,\"leader\":2,\"term\":5,\"members\":[{\"id\":1,\"role\":\"follower\",\"peer\":\"h:9090\",\"http\":\"h:8080\"},"
        + "{\"id\":2,\"role\":\"leader\",\"peer\":\"h:9091\",\"http\":\"h:8081\"}]}";
    int port = fakeNode(Map.of("GET /cluster", new String[] {"200", view}, "POST /cluster/leader", new String[] {"200", view}));
    assertThat(run("--endpoints=http://127.0.0.1:" + port, "members", "list")).isEqualTo(0);
    assertThat(out.toString().lines().toList())
        .containsExactly("ID  ROLE      PEER    HTTP", "1   follower  h:9090  h:8080", "2   leader    h:9091  h:8081");
    out.getBuffer().setLength(0);
    assertThat(run("--endpoints=http://127.0.0.1:" + port, "leader", "transfer", "2")).isEqualTo(0);
    assertThat(requests).contains(port + " POST /cluster/leader {\"to\":2}");
    assertThat(out.toString()).isEqualTo("leader 2 (term 5)\n");
  }

  @Test
  void benchRunsTheRequestedCountAndSummarisesLatency() throws IOException {
    int port = fakeNode(Map.of("PUT /kv/bench-0", new String[] {"200", "{}"}, "PUT /kv/bench-1", new String[] {"200", "{}"}));
    assertThat(run("--endpoints=http://127.0.0.1:" + port, "-o", "json", "bench", "-n", "20", "-c", "2", "--keys", "2")).isEqualTo(0);
    assertThat(requests).hasSize(20);
    assertThat(out.toString()).contains("\"requests\":20", "\"failed\":0", "\"p99Ms\":");
    assertThat(err.toString()).contains("\r20/20 requests  0 failed");
  }

  @Test
  void percentilesPickTheRankedSample() {
    long[] sorted = {1_000_000, 2_000_000, 3_000_000, 4_000_000};
    assertThat(BenchCommand.percentileMs(sorted, 50)).isEqualTo(2.0);
    assertThat(BenchCommand.percentileMs(sorted, 99)).isEqualTo(4.0);
  }
}
