package io.raftkv.cluster;

import io.raftkv.kv.ClusterView;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A client of one node's HTTP API with short timeouts, so a dead or paused node costs a test at most
 * {@code timeout}. Every call returns a {@link KvResult} that says what the response proves; it never
 * throws for network trouble, because network trouble is what these tests provoke.
 */
public final class HttpKvClient {
  private final HttpClient http;
  private final Duration timeout;

  public HttpKvClient(Duration connectTimeout, Duration timeout) {
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .build();
    this.timeout = timeout;
  }

  public KvResult put(URI node, String key, String value) {
    String body = "{\"value\":\"" + jsonEscape(value) + "\"}";
    HttpRequest request = request(node, "/kv/" + key)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return write(request);
  }

  public KvResult delete(URI node, String key) {
    return write(request(node, "/kv/" + key).DELETE().build());
  }

  /** Reads a key; {@code consistency} is one of linearizable, lease, stale. */
  public KvResult get(URI node, String key, String consistency) {
    HttpRequest request = request(node, "/kv/" + key + "?consistency=" + consistency).GET().build();
    try {
      return classifyRead(send(request));
    } catch (IOException e) {
      // A read that got no answer changed nothing: it simply did not happen.
      return KvResult.failed(0, describe(e));
    }
  }

  /** This node's view of the cluster, or null when it does not answer with 200. */
  public ClusterView cluster(URI node) {
    try {
      HttpResponse<String> response = send(request(node, "/cluster").GET().build());
      return response.statusCode() == 200 ? parseClusterView(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private KvResult write(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = send(request);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      // No connection was made, so the request never reached the node.
      return KvResult.failed(0, describe(e));
    } catch (IOException e) {
      return KvResult.unknown(0, describe(e));
    }
    int status = response.statusCode();
    if (status == 200) {
      return okFrom(response);
    }
    if (status == 404) {
      return KvResult.notFound();
    }
    if (status == 504 || status >= 500 && status != 503) {
      return KvResult.unknown(status, response.body());
    }
    return KvResult.failed(status, response.body());
  }

  private static KvResult classifyRead(HttpResponse<String> response) {
    return switch (response.statusCode()) {
      case 200 -> okFrom(response);
      case 404 -> KvResult.notFound();
      default -> KvResult.failed(response.statusCode(), response.body());
    };
  }

  private static KvResult okFrom(HttpResponse<String> response) {
    Map<String, Object> body = MiniJson.parseObject(response.body());
    Object value = body.get("value");
    return KvResult.ok(200, value == null ? null : value.toString(), asLong(body.get("revision"), 0));
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private HttpRequest.Builder request(URI node, String pathAndQuery) {
    return HttpRequest.newBuilder(node.resolve(pathAndQuery)).timeout(timeout);
  }

  @SuppressWarnings("unchecked")
  static ClusterView parseClusterView(String json) {
    Map<String, Object> body = MiniJson.parseObject(json);
    List<ClusterView.Member> members = new ArrayList<>();
    for (Object m : (List<Object>) body.getOrDefault("members", List.of())) {
      Map<String, Object> member = (Map<String, Object>) m;
      members.add(new ClusterView.Member(
          asLong(member.get("id"), 0),
          (String) member.get("role"),
          (String) member.get("peer"),
          (String) member.get("http"),
          member.get("matchIndex") == null ? null : asLong(member.get("matchIndex"), 0)));
    }
    Object leader = body.get("leader");
    return new ClusterView(
        asLong(body.get("self"), 0),
        leader == null ? null : asLong(leader, 0),
        asLong(body.get("term"), 0),
        asLong(body.get("commitIndex"), 0),
        asLong(body.get("appliedIndex"), 0),
        asLong(body.get("snapshotIndex"), 0),
        members);
  }

  private static long asLong(Object number, long absent) {
    return number instanceof Number n ? n.longValue() : absent;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
