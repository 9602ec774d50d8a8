package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.raftkv.kv.ClusterView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client classifies each response by what it proves about the store. */
class HttpKvClientTest {
  private final HttpKvClient client = new HttpKvClient(Duration.ofMillis(1000), Duration.ofMillis(2000));
  private HttpServer server;
  private URI base;
  private volatile int status;
  private volatile String body;
  private volatile long delayMillis;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    if (delayMillis > 0) {
      ClusterHarness.sleep(Duration.ofMillis(delayMillis));
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void acknowledgedPutCarriesValueAndRevision() {
    answerWith(200, "{\"key\":\"k\",\"value\":\"v \\\"q\\\"\",\"revision\":7}");
    KvResult result = client.put(base, "k", "v \"q\"");
    assertThat(result.outcome()).isEqualTo(KvResult.Outcome.OK);
    assertThat(result.value()).isEqualTo("v \"q\"");
    assertThat(result.revision()).isEqualTo(7);
  }

  @Test
  void unavailableMeansNothingWasWritten() {
    answerWith(503, "{\"error\":\"no leader\"}");
    assertThat(client.put(base, "k", "v").outcome()).isEqualTo(KvResult.Outcome.FAILED);
  }

  @Test
  void gatewayTimeoutMeansTheWriteOutcomeIsUnknown() {
    answerWith(504, "{\"error\":\"outcome unknown\"}");
    assertThat(client.put(base, "k", "v").outcome()).isEqualTo(KvResult.Outcome.UNKNOWN);
    assertThat(client.delete(base, "k").outcome()).isEqualTo(KvResult.Outcome.UNKNOWN);
  }

  @Test
  void theStoresInternalErrorLeavesAWriteUnknownButTheServersOwnMeansItNeverArrived() {
    answerWith(500, "{\"error\":\"internal error\",\"detail\":\"see the server log\"}");
    assertThat(client.put(base, "k", "v").outcome()).isEqualTo(KvResult.Outcome.UNKNOWN);
    // Payara Micro's answer between deployment and loading the application: empty body.
    answerWith(500, "");
    assertThat(client.put(base, "k", "v").outcome()).isEqualTo(KvResult.Outcome.FAILED);
    assertThat(client.delete(base, "k").outcome()).isEqualTo(KvResult.Outcome.FAILED);
  }

  @Test
  void writeWithoutAnswerIsUnknownButReadWithoutAnswerIsFailed() {
    answerWith(200, "{\"key\":\"k\",\"value\":\"v\",\"revision\":1}");
    delayMillis = 3_000;
    assertThat(client.put(base, "k", "v").outcome()).isEqualTo(KvResult.Outcome.UNKNOWN);
    assertThat(client.get(base, "k", "linearizable").outcome()).isEqualTo(KvResult.Outcome.FAILED);
  }

  @Test
  void refusedConnectionMeansTheWriteNeverLeft() throws IOException {
    URI closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
    assertThat(client.put(closed, "k", "v").outcome()).isEqualTo(KvResult.Outcome.FAILED);
    assertThat(client.cluster(closed)).isNull();
  }

  @Test
  void missingKeyIsNotFound() {
    answerWith(404, "{\"error\":\"key not found\",\"key\":\"k\"}");
    assertThat(client.get(base, "k", "stale").outcome()).isEqualTo(KvResult.Outcome.NOT_FOUND);
    assertThat(client.delete(base, "k").outcome()).isEqualTo(KvResult.Outcome.NOT_FOUND);
  }

  @Test
  void aServer404WithoutTheStoresAnswerProvesNothingAboutTheKey() {
    // What Payara Micro sends for /kv/... while the application is still being deployed.
    answerWith(404, "<!DOCTYPE html><html><head><title>Payara Micro #badassfish - Error report</title>");
    assertThat(client.get(base, "k", "linearizable").outcome()).isEqualTo(KvResult.Outcome.FAILED);
    assertThat(client.put(base, "k", "v").outcome()).isEqualTo(KvResult.Outcome.FAILED);
    assertThat(client.delete(base, "k").outcome()).isEqualTo(KvResult.Outcome.FAILED);
    answerWith(404, "{\"error\":\"not found\",\"detail\":\"no resource at this path\"}");
    assertThat(client.get(base, "k", "linearizable").outcome()).isEqualTo(KvResult.Outcome.FAILED);
  }

  @Test
  void clusterViewIsParsed() {
    answerWith(200, "{\"self\":2,\"leader\":1,\"term\":3,\"commitIndex\":120,\"appliedIndex\":119,"
        + "\"members\":[{\"id\":1,\"role\":\"leader\",\"peer\":\"127.0.0.11:9001\",\"http\":\"127.0.0.11:8001\","
        + "\"matchIndex\":120},{\"id\":2,\"role\":\"follower\",\"peer\":\"p\",\"http\":\"h\",\"matchIndex\":null}]}");
    ClusterView view = client.cluster(base);
    assertThat(view.leader()).isEqualTo(1L);
    assertThat(view.term()).isEqualTo(3);
    assertThat(view.appliedIndex()).isEqualTo(119);
    assertThat(view.members()).extracting(ClusterView.Member::role).containsExactly("leader", "follower");
    assertThat(view.members().get(1).matchIndex()).isNull();
  }

  @Test
  void clusterViewWithoutLeaderHasNullLeader() {
    answerWith(200, "{\"leader\":null,\"term\":4,\"commitIndex\":0,\"members\":[]}");
    assertThat(client.cluster(base).leader()).isNull();
  }

  private void answerWith(int status, String body) {
    this.status = status;
    this.body = body;
  }
}
