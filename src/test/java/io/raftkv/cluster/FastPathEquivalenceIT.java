package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code /kv/{key}} servlet (docs/architecture.md, section 4a) answers exactly as JAX-RS does: the
 * same requests, sent to a one-node cluster with the fast path on and to one with it off
 * ({@code raftkv.http.fast.path=false}), get the same status, the same headers that matter and the
 * same body (revisions aside, which depend on the election's entries). The requests cover what the
 * servlet answers itself (successes and every 4xx of the key API) and what it forwards to JAX-RS.
 */
class FastPathEquivalenceIT {

  private record Probe(String method, String path, String body, Map<String, String> headers) {
    static Probe of(String method, String path, String body, String... headers) {
      Map<String, String> map = new java.util.LinkedHashMap<>();
      for (int i = 0; i + 1 < headers.length; i += 2) map.put(headers[i], headers[i + 1]);
      return new Probe(method, path, body, map);
    }
  }

  private static final String FORM = "application/x-www-form-urlencoded";

  private static final List<Probe> PROBES = List.of(
      Probe.of("PUT", "/kv/foo", "{\"value\":\"bar\"}", "Content-Type", FORM),
      Probe.of("PUT", "/kv/foo", "{\"value\":\"b\\u00e9r \\\"q\\\" \\ud83d\\ude00\"}", "Content-Type", "application/json"),
      Probe.of("GET", "/kv/foo", null),
      Probe.of("GET", "/kv/foo?consistency=lease", null),
      Probe.of("GET", "/kv/foo?consistency=stale", null, "Accept", "application/json"),
      Probe.of("GET", "/kv/foo?consistency=bogus", null),
      Probe.of("GET", "/kv/missing", null),
      Probe.of("PUT", "/kv/foo", "{\"value\":\"x\",\"prevValue\":\"nope\"}"),
      Probe.of("PUT", "/kv/foo", "{\"value\":\"x\",\"prevExist\":false}"),
      Probe.of("PUT", "/kv/foo", "{\"value\":1}"),
      Probe.of("PUT", "/kv/foo", "{\"valu\":\"x\"}"),
      Probe.of("PUT", "/kv/foo", "not json"),
      Probe.of("PUT", "/kv/foo", ""),
      Probe.of("PUT", "/kv/foo", "{\"value\":\"x\"} {}"),
      Probe.of("PUT", "/kv/idem", "{\"value\":\"x\"}", "Idempotency-Key", "abc"),
      Probe.of("PUT", "/kv/idem", "{\"value\":\"x\"}", "Idempotency-Key", "abc"),
      Probe.of("PUT", "/kv/idem", "{\"value\":\"y\"}", "Idempotency-Key", "abc"),
      Probe.of("PUT", "/kv/idem2", "{\"value\":\"y\"}", "Idempotency-Key", "a b"),
      Probe.of("PUT", "/kv/" + "k".repeat(4097), "{\"value\":\"x\"}"),
      Probe.of("PUT", "/kv/big", "{\"value\":\"" + "a".repeat(2_000_000) + "\"}"),
      Probe.of("DELETE", "/kv/foo", null),
      Probe.of("DELETE", "/kv/foo", null),
      Probe.of("POST", "/kv/foo", "{\"value\":\"x\"}"),
      Probe.of("HEAD", "/kv/idem", null),
      Probe.of("OPTIONS", "/kv/idem", null),
      Probe.of("GET", "/kv", null),
      Probe.of("GET", "/kv?prefix=id", null),
      Probe.of("PUT", "/kv", "{\"value\":\"x\"}"),
      Probe.of("DELETE", "/kv/", null),
      Probe.of("PUT", "/kv/a%20b", "{\"value\":\"sp\"}"),
      Probe.of("GET", "/kv/a%20b", null),
      Probe.of("GET", "/kv/idem", null, "Accept", "text/html"),
      Probe.of("PUT", "/kv/idem", "{\"value\":\"tp\"}", "Content-Type", "text/plain"),
      Probe.of("GET", "/kv/idem?x=1", null),
      Probe.of("DELETE", "/kv/idem?x=1", null),
      Probe.of("PUT", "/kv/a/b/c", "{\"value\":\"nested\"}"),
      Probe.of("GET", "/kv/a/b/c", null),
      Probe.of("GET", "/kv/a;b", null),
      Probe.of("PUT", "/kv/ttl", "{\"value\":\"t\",\"ttl\":3600}"),
      Probe.of("GET", "/kv/ttl", null),
      Probe.of("PUT", "/kv/ttl", "{\"value\":\"t\",\"ttl\":0}"),
      Probe.of("PUT", "/kv/ttl", "{\"value\":\"t\",\"ttl\":1.5}"),
      Probe.of("PUT", "/kv/ttl", "{\"value\":\"u\"}"),
      Probe.of("GET", "/kv/ttl", null),
      Probe.of("PATCH", "/kv/a/b/c", "{}"));

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theServletAndJaxRsGiveTheSameAnswers() throws Exception {
    List<String> fast = answers("fast", List.of());
    List<String> jaxRs = answers("jaxrs", List.of("-Draftkv.http.fast.path=false"));
    Path dir = Path.of("target", "cluster-it", "FastPathEquivalenceIT").toAbsolutePath();
    Files.write(dir.resolve("answers-fast.txt"), fast);
    Files.write(dir.resolve("answers-jaxrs.txt"), jaxRs);
    assertThat(fast).as("fast path on vs off (" + dir + ")").containsExactlyElementsOf(jaxRs);
    assertThat(fast).as("the servlet really served: put, get, 404, 412")
        .anyMatch(a -> a.startsWith("PUT /kv/foo -> 200"))
        .anyMatch(a -> a.startsWith("GET /kv/missing -> 404"))
        .anyMatch(a -> a.startsWith("PUT /kv/foo -> 412"));
    assertThat(nodeLog("fast")).contains("/kv fast path on");
    assertThat(nodeLog("jaxrs")).contains("/kv fast path off");
  }

  private static String nodeLog(String name) throws IOException {
    Path dir = Path.of("target", "cluster-it", "FastPathEquivalenceIT", name).toAbsolutePath();
    try (var files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".log")).map(p -> {
        try {
          return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          return "";
        }
      }).reduce("", String::concat);
    }
  }

  private List<String> answers(String name, List<String> args) throws Exception {
    Path dir = Path.of("target", "cluster-it", "FastPathEquivalenceIT", name);
    ClusterHarness.Options options = new ClusterHarness.Options(IptablesFaults.CHAIN, args, Map.of());
    try (ClusterHarness cluster = ClusterHarness.start(dir, 1, options)) {
      int leader = cluster.awaitLeader(Duration.ofSeconds(60));
      URI base = cluster.uri(leader);
      List<String> out = new ArrayList<>();
      for (Probe probe : PROBES) {
        out.add(answer(base, probe));
      }
      return out;
    }
  }

  private String answer(URI base, Probe probe) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + probe.path()))
        .timeout(Duration.ofSeconds(10))
        .method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(probe.body(), StandardCharsets.UTF_8));
    probe.headers().forEach(request::header);
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    StringBuilder line = new StringBuilder(probe.method()).append(' ')
        .append(probe.path().length() > 60 ? probe.path().substring(0, 60) + "..." : probe.path())
        .append(" -> ").append(response.statusCode());
    for (String header : List.of("Content-Type", "Content-Length", "Allow", "Retry-After", "Connection")) {
      response.headers().firstValue(header).ifPresent(v -> line.append(" | ").append(header).append(": ").append(v));
    }
    line.append(" | ").append(response.body().replaceAll("\"(revision|createRevision|oldestRevision|ttl)\":\\d+", "\"$1\":N")
        .replaceAll("reference [0-9a-f-]+", "reference R"));
    return line.toString();
  }
}
