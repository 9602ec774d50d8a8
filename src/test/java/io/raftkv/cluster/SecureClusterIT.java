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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code bin/raftkv-cluster --secure} on 3 real nodes (HTTPS on 8080-8082, tokens, peer mTLS), driven
 * with the tokens it made and a few more from bin/lib/tokens.sh: who may do what, and what is refused.
 */
class SecureClusterIT {
  private static final Path WORK = Path.of("target", "cluster-it", "SecureClusterIT").toAbsolutePath();
  private static final Path SECURE = WORK.resolve("data/secure");
  private static final URI NODE1 = URI.create("https://127.0.0.1:8080");
  /** The HTTPS listener's keep-alive (idle) timeout for this cluster: RAFTKV_HTTPS_KEEPALIVE_S. */
  private static final int IDLE_TIMEOUT_S = 10;
  private static Process cluster;
  private static HttpClient https;
  private static SSLContext tls;

  @BeforeAll
  static void start() throws Exception {
    deleteTree(WORK);
    Files.createDirectories(WORK);
    ProcessBuilder script = new ProcessBuilder("bin/raftkv-cluster", "--secure", "--data=" + WORK.resolve("data"),
        "--heap=384m").redirectErrorStream(true);
    script.environment().put("RAFTKV_HTTPS_KEEPALIVE_S", String.valueOf(IDLE_TIMEOUT_S));
    cluster = script.start();
    String line = awaitLine(cluster.getInputStream(), Pattern.compile("leader is node|failed|no leader"), 480);
    assertThat(line).as("bin/raftkv-cluster --secure").contains("leader is node");
    tls = trusting(SECURE.resolve("ca.pem"));
    https = HttpClient.newBuilder().sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.destroy(); // SIGTERM: the script stops its nodes
      if (!cluster.waitFor(90, TimeUnit.SECONDS)) cluster.destroyForcibly();
    }
    for (int n = 1; n <= 4; n++) { // in case the script died first; node 4 is the one that joins
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

  @Test
  void theCliSpeaksHttpsWithATokenAndTrustsTheClusterCa() throws Exception {
    String endpoints = "--endpoints=https://127.0.0.1:8080,8081,8082";
    String ca = "--cacert=" + SECURE.resolve("ca.pem");
    Cli put = cli(Map.of(), endpoints, ca, "--token=@" + SECURE.resolve("tokens/writer.jwt"), "put", "cli/a", "one");
    assertThat(put.exit()).as(put.err()).isZero();
    Cli get = cli(Map.of("RAFTKV_TOKEN", token("reader"), "RAFTKV_CACERT", SECURE.resolve("ca.pem").toString()),
        endpoints, "get", "cli/a");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).isEqualTo("one\n");

    Cli readerPut = cli(Map.of("RAFTKV_TOKEN", token("reader")), endpoints, ca, "put", "cli/a", "two");
    assertThat(readerPut.exit()).isEqualTo(1);
    assertThat(readerPut.err()).startsWith("raftkv: 403 forbidden: this token lacks the 'write' role");
    Cli noToken = cli(Map.of(), endpoints, ca, "get", "cli/a");
    assertThat(noToken.exit()).isEqualTo(1);
    assertThat(noToken.err()).startsWith("raftkv: 401 unauthorized");
    Cli untrusted = cli(Map.of("RAFTKV_TOKEN", token("reader")), endpoints, "get", "cli/a");
    assertThat(untrusted.exit()).isEqualTo(5);
    assertThat(untrusted.err()).contains("no endpoint answered", "TLS handshake failed").doesNotContain("Exception\n\tat");

    Cli members = cli(Map.of("RAFTKV_TOKEN", token("reader")), endpoints, ca, "-o", "json", "members", "list");
    assertThat(members.exit()).as(members.err()).isZero();
    assertThat(members.out()).contains("\"id\":1", "\"id\":2", "\"id\":3");
    Cli transfer = cli(Map.of("RAFTKV_TOKEN", token("admin")), endpoints, ca, "leader", "transfer");
    assertThat(transfer.exit()).as(transfer.out() + transfer.err()).isZero();
    assertThat(Files.readString(WORK.resolve("data/node-1/node.log")))
        .containsPattern("sub=\"admin\" action=\"POST /cluster/leader\" from=\\S+ outcome=200");
  }

  /**
   * Slowloris: 100 connections trickle a request head one byte per second and 50 send part of one and
   * go quiet, 150 connections against 64 HTTP threads. Normal requests must still answer quickly, and
   * the server must close the quiet ones once the listener's idle timeout has passed.
   */
  @Test
  void slowClientsHoldNoHttpThreadAndQuietOnesAreClosedAfterTheIdleTimeout() throws Exception {
    assertThat(send("PUT", "/kv/sec/a", token("writer"), "{\"value\":\"1\"}").statusCode()).isEqualTo(200);
    try (SlowClients trickling = SlowClients.open(tls, "127.0.0.1", 8080, 100);
        SlowClients quiet = SlowClients.open(tls, "127.0.0.1", 8080, 50)) {
      for (int i = 0; i < 30; i++) quiet.trickle(); // "GET /kv/sec/a HTTP/1.1\r\nHost", then silence
      long quietSince = System.nanoTime();
      long deadline = quietSince + TimeUnit.SECONDS.toNanos(IDLE_TIMEOUT_S + 15);
      long slowest = 0;
      int answered = 0;
      while (System.nanoTime() < deadline) {
        long tick = System.nanoTime();
        trickling.trickle();
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("GET", "/kv/sec/a", token("reader"), null);
        slowest = Math.max(slowest, System.nanoTime() - t0);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        answered++;
        Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - tick) / 1_000_000));
      }
      System.out.printf("slowloris: %d normal GETs, slowest %d ms; quiet connections still open %d/50, "
          + "trickling still open %d/100%n", answered, slowest / 1_000_000, quiet.openCount(), trickling.openCount());
      assertThat(slowest).as("slowest normal GET (ns) beside 150 slow connections").isLessThan(3_000_000_000L);
      assertThat(quiet.openCount()).as("quiet connections the server has not closed").isZero();
      for (SlowClients.Conn c : quiet.conns()) {
        long afterS = TimeUnit.NANOSECONDS.toSeconds(c.closedAtNanos - quietSince);
        assertThat(afterS).as("closed after the idle timeout, not before").isBetween(IDLE_TIMEOUT_S - 2L, IDLE_TIMEOUT_S + 12L);
      }
    }
  }

  /**
   * A fourth node joins the secure cluster with bin/raftkv-node --join --secure and RAFTKV_TOKEN (the
   * read+admin token), serves, then leaves with --leave; both membership changes leave one audit line
   * with outcome 200 on the node that received them.
   */
  @Test
  void aNewNodeJoinsWithAnAdminTokenAndLeavesAndBothAreAudited() throws Exception {
    Cli certs = run(Map.of(), "bin/lib/peer-certs.sh", SECURE.toString(), "4=127.0.0.1");
    assertThat(certs.exit()).as(certs.err()).isZero();
    Path data4 = WORK.resolve("data/node-4");
    Cli refused = run(Map.of(), "bin/raftkv-node", "--id=4", "--http=:8083", "--raft=:9093",
        "--join=https://127.0.0.1:8080", "--secure=" + SECURE, "--data=" + data4, "--heap=384m");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("needs RAFTKV_TOKEN");

    Map<String, String> admin = Map.of("RAFTKV_TOKEN", token("admin"));
    Cli join = run(admin, "bin/raftkv-node", "--id=4", "--http=:8083", "--raft=:9093",
        "--join=https://127.0.0.1:8080", "--secure=" + SECURE, "--data=" + data4, "--heap=384m", "--timeout=360");
    assertThat(join.exit()).as(join.out() + join.err()).isZero();
    URI node4 = URI.create("https://127.0.0.1:8083");
    assertThat(sendTo(node4, "GET", "/cluster", token("reader"), null).body()).contains("\"id\":4");
    assertThat(sendTo(node4, "GET", "/kv/sec/a?consistency=linearizable", null, null).statusCode()).isEqualTo(401);

    Cli leave = run(admin, "bin/raftkv-node", "--leave", "--id=4", "--http=:8083", "--secure=" + SECURE,
        "--data=" + data4);
    assertThat(leave.exit()).as(leave.out() + leave.err()).isZero();
    assertThat(send("GET", "/cluster", token("reader"), null).body()).doesNotContain("\"id\":4");

    assertThat(auditLines(WORK.resolve("data/node-1/node.log"), "POST /cluster/members", "outcome=200"))
        .as("the join's audit line on the node it asked").hasSize(1).allMatch(l -> l.contains("sub=\"admin\""));
    assertThat(auditLines(data4.resolve("node.log"), "DELETE /cluster/members/4", "outcome=200"))
        .as("the leave's audit line on the leaving node").hasSize(1).allMatch(l -> l.contains("sub=\"admin\""));
  }

  /**
   * The dashboard with tokens on, in headless Chromium (DashboardBrowserIT's; it accepts the dev
   * certificate with --ignore-certificate-errors): without a token the page shows the 401; once a
   * reader token is typed into its token field, it shows the leader and the members, every one reachable
   * (the node asked the others over HTTPS with the page's token, GET /cluster/status).
   */
  @Test
  void theDashboardShowsTheClusterOnceAReaderTokenIsEntered() throws Exception {
    WebDriver browser = DashboardBrowserIT.headlessChromium(WORK.resolve("chromium-profile"),
        "--ignore-certificate-errors");
    try {
      browser.get("https://127.0.0.1:8080/ui/");
      awaitPage(browser, "the page to report the 401", () -> text(browser, "error").startsWith("401 unauthorized"));
      assertThat(text(browser, "leader")).isEqualTo("?");
      browser.findElement(By.id("token")).sendKeys(token("reader"));
      browser.findElement(By.cssSelector("#auth button")).click();
      awaitPage(browser, "the page to show a leader and 3 members", () -> text(browser, "leader").matches("\\d+")
          && browser.findElements(By.cssSelector("#members tbody tr")).size() >= 3);
      assertThat(text(browser, "token-state")).isEqualTo("token set for this tab");
      // GET /cluster/status asked the other members over HTTPS (trusting the cluster CA) with the token.
      awaitPage(browser, "every member shown reachable", () -> {
        List<WebElement> states = browser.findElements(By.cssSelector("#members tbody tr td:last-child"));
        return states.size() >= 3 && states.stream().allMatch(td -> td.getText().equals("reachable"));
      });
      awaitPage(browser, "the error line to clear", () -> text(browser, "error").isEmpty());
    } finally {
      browser.quit();
    }
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static void awaitPage(WebDriver browser, String what, java.util.function.BooleanSupplier condition) {
    try {
      new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> condition.getAsBoolean());
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what + "; page text:\n"
          + browser.findElement(By.tagName("body")).getText(), e);
    }
  }

  private static List<String> auditLines(Path log, String action, String outcome) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.contains("[raftkv.audit]") && l.contains("action=\"" + action + "\"") && l.contains(outcome))
        .toList();
  }

  record Cli(int exit, String out, String err) {}

  /** bin/raftkv as a user runs it, with RAFTKV_TOKEN/RAFTKV_CACERT only as given in {@code env}. */
  private static Cli cli(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bin/raftkv"));
    command.addAll(List.of(args));
    return run(env, command.toArray(String[]::new));
  }

  private static Cli run(Map<String, String> env, String... command) throws Exception {
    Path out = Files.createTempFile(WORK, "cmd", ".out");
    Path err = Files.createTempFile(WORK, "cmd", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("RAFTKV_TOKEN");
    pb.environment().remove("RAFTKV_CACERT");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(420, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish within 420 s: " + command[0]);
    }
    return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    return sendTo(NODE1, method, path, token, body);
  }

  private static HttpResponse<String> sendTo(URI node, String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(30))
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

  static SSLContext trusting(Path caPem) throws Exception {
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
  static String awaitLine(InputStream in, Pattern wanted, int seconds) throws Exception {
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

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
