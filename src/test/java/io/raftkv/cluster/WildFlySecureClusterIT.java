package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/raftkv-cluster --secure --server=wildfly}: the same secure dev cluster on WildFly (Elytron
 * key store with the node's certificate on the https-listener at 8080-8082, no plain HTTP listener,
 * tokens, peer mTLS; docs/security.md "HTTPS on WildFly").
 */
class WildFlySecureClusterIT {
  private static final Path WORK = Path.of("target", "cluster-it", "WildFlySecureClusterIT").toAbsolutePath();
  private static final Path SECURE = WORK.resolve("data/secure");
  private static Process cluster;
  private static HttpClient https;

  @BeforeAll
  static void start() throws Exception {
    SecureClusterIT.deleteTree(WORK);
    Files.createDirectories(WORK);
    cluster = new ProcessBuilder("bin/raftkv-cluster", "--secure", "--server=wildfly", "--data=" + WORK.resolve("data"),
        "--heap=384m").redirectErrorStream(true).start();
    String line = SecureClusterIT.awaitLine(cluster.getInputStream(), Pattern.compile("leader is node|failed|no leader"), 480);
    assertThat(line).as("bin/raftkv-cluster --secure --server=wildfly").contains("leader is node");
    https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(SecureClusterIT.trusting(SECURE.resolve("ca.pem"))).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.destroy();
      if (!cluster.waitFor(90, TimeUnit.SECONDS)) cluster.destroyForcibly();
    }
    for (int n = 1; n <= 3; n++) {
      new ProcessBuilder("bin/raftkv-node", "--stop", "--data=" + WORK.resolve("data/node-" + n))
          .redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void httpsWithTokensOnEveryNodeAndNoPlainHttp() throws Exception {
    for (int port = 8080; port <= 8082; port++) {
      URI node = URI.create("https://127.0.0.1:" + port);
      HttpResponse<String> anonymous = send(node, "GET", "/kv/wf/a", null, null);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).startsWith("{\"error\":\"unauthorized\"");
      assertThat(send(node, "PUT", "/kv/wf/a", token("reader"), "{\"value\":\"1\"}").statusCode()).isEqualTo(403);
      HttpResponse<String> put = send(node, "PUT", "/kv/wf/a", token("writer"), "{\"value\":\"" + port + "\"}");
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(send(node, "GET", "/kv/wf/a", token("reader"), null).body()).contains("\"value\":\"" + port + "\"");
    }
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/kv/wf/a"))
        .timeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(() -> plain.send(request, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  private static HttpResponse<String> send(URI node, String method, String path, String token, String body)
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
}
