package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A node's own log (bin/raftkv-node writes it to DATA/node.log) holds no container stack traces:
 * <ul>
 *   <li>none at boot: WEB-INF/web.xml's default error page, listed before another error page, made
 *       Payara's descriptor reader log five SEVERE NullPointerExceptions per deployment;
 *   <li>none per request for a path Payara's connector cannot decode ({@code /kv/%G1}, {@code /kv/%},
 *       {@code /..}): it logged a SEVERE stack trace of ~30 lines for each, so that anyone could fill
 *       the node's disk with a loop of such requests. They are now counted in one WARNING line per
 *       minute (api/container/MalformedTargetLogFilter). The connector still answers them itself,
 *       with an empty 200 or 400, before any code of the store runs (docs/api.md).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeLogIT {
  private static final int ROUNDS = 100;
  private static final List<String> UNDECODABLE = List.of("/kv/%G1", "/kv/%", "/..", "/kv/a%zz/b");

  private ClusterHarness cluster;

  @BeforeAll
  void startNode() throws IOException {
    cluster = ClusterHarness.start(getClass().getSimpleName(), 1);
    cluster.awaitLeader(Duration.ofSeconds(60));
  }

  @AfterAll
  void stopNode() {
    if (cluster != null) cluster.close();
  }

  @Test
  void bootAndPathsTheConnectorCannotDecodeLeaveNoSevereLinesAndNoStackTraces() throws Exception {
    Path log = cluster.workDir().resolve("data").resolve("node-1").resolve("node.log");
    assertThat(linesMatching(log, " SEVERE ")).as("SEVERE lines at boot in " + log).isEmpty();
    long linesBefore = Files.readAllLines(log, StandardCharsets.UTF_8).size();
    URI node = cluster.uri(1);
    long started = System.nanoTime();
    for (int round = 0; round < ROUNDS && System.nanoTime() - started < Duration.ofSeconds(60).toNanos(); round++) {
      for (String target : UNDECODABLE) {
        String answer = get(node, target);
        assertThat(answer).as(target).matches("(?s)HTTP/1\\.1 (200|400) .*");
      }
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(linesMatching(log, " SEVERE ")).as("SEVERE lines in " + log).isEmpty();
    assertThat(linesMatching(log, "\tat org.glassfish.grizzly")).as("stack traces in " + log).isEmpty();
    assertThat(linesMatching(log, "request(s) with a path that is not valid percent-encoding"))
        .as("the one counting line per minute").hasSizeBetween(1, 2);
    assertThat(lines.size() - linesBefore).as("lines logged for " + ROUNDS * UNDECODABLE.size() + " requests")
        .isLessThan(10);
  }

  private static List<String> linesMatching(Path log, String text) throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(line -> line.contains(text)).toList();
  }

  /** A GET of a raw target, which java.net.URI would refuse to build. The answer's text, up to close. */
  private static String get(URI node, String target) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(node.getHost(), node.getPort()), 5_000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + node.getHost()
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
