package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/raftkv-cluster --secure} on 3 real nodes (HTTPS on 8080-8082, tokens, peer mTLS), driven
 * with the tokens it made and a few more from bin/lib/tokens.sh: who may do what, and what is refused.
 */
class SecureClusterIT {
  private static final Path WORK = Path.of("target", "cluster-it", "SecureClusterIT").toAbsolutePath();
  private static final Path SECURE = WORK.resolve("data/secure");
  private static final URI NODE1 = URI.create("https://127.0.0.1:8080");
  private static Process cluster;
  private static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    deleteTree(WORK);
    Files.createDirectories(WORK);
    cluster = new ProcessBuilder("bin/raftkv-cluster", "--secure", "--data=" + WORK.resolve("data"), "--heap=384m")
        .redirectErrorStream(true).start();
    String line = awaitLine(cluster.getInputStream(), Pattern.compile("leader is node|failed|no leader"), 480);
    assertThat(line).as("bin/raftkv-cluster --secure").contains("leader is node");
    https = HttpClient.newBuilder().sslContext(trusting(SECURE.resolve("ca.pem")))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.destroy(); // SIGTERM: the script stops its nodes
      if (!cluster.waitFor(90, TimeUnit.SECONDS)) cluster.destroyForcibly();
    }
    for (int n = 1; n <= 3; n++) { // in case the script died first
      new ProcessBuilder("bin/raftkv-node", "--stop", "--data=" + WORK.resolve("data/node-" + n))
          .redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void rolesDecideWhoMayReadWriteAndAdminister() throws Exception {
    assertThat(send("PUT", "/kv/sec/a", null, "{\"value\":\"1\"}"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(401))
        .satisfies(r -> assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"raftkv\""))
        .satisfies(r -> assertThat(r.body()).startsWith("{\"error\":\"unauthorized\""));
    assertThat(send("PUT", "/kv/sec/a", token("reader"), "{\"value\":\"1\"}").body())
        .contains("\"error\":\"forbidden\"", "'write' role");
    assertThat(send("PUT", "/kv/sec/a", token("writer"), "{\"value\":\"1\"}").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/kv/sec/a", token("reader"), null).body()).contains("\"value\":\"1\"");
    assertThat(send("POST", "/cluster/leader", token("writer"), "{\"to\":2}").statusCode()).isEqualTo(403);

    String clusterJson = send("GET", "/cluster", token("reader"), null).body();
    Matcher leader = Pattern.compile("\"leader\":(\\d+)").matcher(clusterJson);
    assertThat(leader.find()).as(clusterJson).isTrue();
    int to = Integer.parseInt(leader.group(1)) % 3 + 1;
    HttpResponse<String> transfer = send("POST", "/cluster/leader", token("admin"), "{\"to\":" + to + "}");
    assertThat(transfer.statusCode()).as(transfer.body()).isEqualTo(200);
    String log = Files.readString(WORK.resolve("data/node-1/node.log"));
    assertThat(log).contains("[raftkv.audit] admin sub=\"admin\" action=\"POST /cluster/leader\"")
        .containsPattern("sub=\"admin\" action=\"POST /cluster/leader\" from=\\S+ outcome=200")
        .containsPattern("sub=\"writer\" action=\"POST /cluster/leader\" from=\\S+ outcome=403");
  }

  @Test
  void expiredForeignAndOutOfScopeTokensAreRefused() throws Exception {
    long hourAgo = System.currentTimeMillis() / 1000 - 3600;
    String expired = tokens("issue", "--key=" + SECURE.resolve("token-signing.key"), "--sub=late",
        "--roles=read,write", "--ttl=60", "--now=" + hourAgo);
    assertThat(send("GET", "/kv/sec/a", expired, null).body()).contains("unauthorized", "expired");
    Path other = WORK.resolve("other-key");
    tokens("keygen", other.toString());
    String foreign = tokens("issue", "--key=" + other.resolve("token-signing.key"), "--sub=mallory", "--roles=admin");
    assertThat(send("POST", "/cluster/leader", foreign, "{\"to\":1}").statusCode()).isEqualTo(401);
    String app1 = tokens("issue", "--key=" + SECURE.resolve("token-signing.key"), "--sub=app1",
        "--roles=read,write", "--prefixes=app1/");
    assertThat(send("PUT", "/kv/app1/x", app1, "{\"value\":\"1\"}").statusCode()).isEqualTo(200);
    assertThat(send("PUT", "/kv/app2/x", app1, "{\"value\":\"1\"}").statusCode()).isEqualTo(403);
    assertThat(send("GET", "/kv?prefix=app1/", app1, null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/kv", app1, null).statusCode()).isEqualTo(403);
  }

  @Test
  void healthIsOpenAndPlainHttpIsRefused() throws Exception {
    assertThat(send("GET", "/health/ready", null, null).statusCode()).isEqualTo(200);
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/health/ready"))
        .timeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(NODE1.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(String role) throws IOException {
    return Files.readString(SECURE.resolve("tokens/" + role + ".jwt")).strip();
  }

  private static String tokens(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bin/lib/tokens.sh"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
    return out;
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /** The first line matching {@code wanted}, read on a thread so the wait is bounded; the rest is drained. */
  private static String awaitLine(InputStream in, Pattern wanted, int seconds) throws Exception {
    java.util.concurrent.CompletableFuture<String> found = new java.util.concurrent.CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          System.out.println("[raftkv-cluster] " + line);
          if (wanted.matcher(line).find()) found.complete(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
      found.complete("(the script ended)");
    }, "secure-cluster-output");
    reader.setDaemon(true);
    reader.start();
    return found.get(seconds, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
