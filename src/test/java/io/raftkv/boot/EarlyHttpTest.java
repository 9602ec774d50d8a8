package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.api.FakeKvService;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The early HTTP API's life: when it starts, what it loads, and that closing it frees the port. */
class EarlyHttpTest {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void answersTheKeyApiUntilClosedAndThenFreesThePort(@TempDir Path dir) throws Exception {
    int port = freePort();
    String classes = Path.of(EarlyHttp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    Map<String, String> config = Map.of(EarlyHttp.CLASSPATH, classes, "raftkv.http.address", "127.0.0.1:" + port);
    FakeKvService kv = new FakeKvService();
    kv.put("k", "v", io.raftkv.kv.Condition.NONE, 0, null).toCompletableFuture().join();

    Optional<EarlyHttp> http = EarlyHttp.startIfConfigured(kv, lookup(config));
    assertThat(http).isPresent();
    try {
      HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kv/k"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).contains("\"value\":\"v\"");
    } finally {
      http.get().close();
    }
    try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).as("the port is free for the container's listener").isEqualTo(port);
    }
  }

  @Test
  void notStartedWithoutItsClassPathOrWithTokensOn() {
    FakeKvService kv = new FakeKvService();
    int port = freePort();
    assertThat(EarlyHttp.startIfConfigured(kv, lookup(Map.of("raftkv.http.address", "127.0.0.1:" + port)))).isEmpty();
    assertThat(EarlyHttp.startIfConfigured(kv, lookup(Map.of(EarlyHttp.CLASSPATH, "target/classes",
        "raftkv.http.address", "127.0.0.1:" + port, "raftkv.auth.enabled", "true"))))
        .as("the early server checks no tokens: not with auth on").isEmpty();
    assertThat(EarlyHttp.startIfConfigured(kv, lookup(Map.of(EarlyHttp.CLASSPATH, "/no/such.war",
        "raftkv.http.address", "127.0.0.1:" + port)))).as("a broken class path only costs the early API").isEmpty();
  }

  @Test
  void aWarStandsForItsWebInfClasses(@TempDir Path dir) throws Exception {
    Path war = Files.createFile(dir.resolve("raftkv-thin.war"));
    Path jar = Files.createFile(dir.resolve("parsson.jar"));
    URL[] urls = EarlyHttp.urls(war + File.pathSeparator + jar);
    assertThat(urls[0].toString()).isEqualTo("jar:" + war.toUri().toURL() + "!/WEB-INF/classes/");
    assertThat(urls[1]).isEqualTo(jar.toUri().toURL());
    assertThatThrownBy(() -> EarlyHttp.urls(dir.resolve("missing.jar").toString()))
        .isInstanceOf(MalformedURLException.class).hasMessageContaining("missing.jar");
  }

  private static Function<String, Optional<String>> lookup(Map<String, String> config) {
    return key -> Optional.ofNullable(config.get(key));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
