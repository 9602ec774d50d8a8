package io.raftkv.cluster;

import io.raftkv.kv.ClusterView;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
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
    String body = Json.createObjectBuilder().add("value", value).build().toString();
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

  /**
   * A range read (docs/api.md "ranges"): {@code query} is the URL query without {@code consistency},
   * e.g. {@code prefix=a&limit=2}. The JSON answer is the result's detail.
   */
  public KvResult range(URI node, String query, String consistency) {
    HttpRequest request = request(node, "/kv?" + query + "&consistency=" + consistency).GET().build();
    try {
      return classifyRead(send(request));
    } catch (IOException e) {
      return KvResult.failed(0, describe(e));
    }
  }

  /** A transaction (docs/api.md "POST /txn"), classified as a write; the JSON answer is the result's detail. */
  public KvResult txn(URI node, String body) {
    HttpRequest request = request(node, "/txn")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return write(request);
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
    if (status == 404 && isMissingKey(response)) {
      return KvResult.notFound(response.body());
    }
    if (status == 500 && errorOf(response) == null) {
      // Payara's own 500 (empty body), answered between deployment and "Loading application": the
      // application was not loaded, so the request never reached it. The store's 500s carry JSON.
      return KvResult.failed(status, response.body());
    }
    if (status == 504 || status >= 500 && status != 503) {
      return KvResult.unknown(status, response.body());
    }
    return KvResult.failed(status, response.body());
  }

  private static KvResult classifyRead(HttpResponse<String> response) {
    if (response.statusCode() == 200) {
      return okFrom(response);
    }
    if (response.statusCode() == 404 && isMissingKey(response)) {
      return KvResult.notFound(response.body());
    }
    return KvResult.failed(response.statusCode(), response.body());
  }

  private static KvResult okFrom(HttpResponse<String> response) {
    JsonObject body = parse(response.body());
    return KvResult.ok(200, body.getString("value", null), longOr(body, "revision", 0L), response.body());
  }

  /**
   * Whether a 404 is the store saying "no such key". Payara Micro listens for HTTP well before the
   * application is deployed (tens of seconds after a restart) and answers every path with its own 404
   * page meanwhile: such a request never reached the store, so it proves nothing about the key (the
   * read did not happen, the write was not made).
   */
  private static boolean isMissingKey(HttpResponse<String> response) {
    return "key not found".equals(errorOf(response));
  }

  /** The "error" of the store's JSON error body, or null when the body is not one (so not the store's). */
  private static String errorOf(HttpResponse<String> response) {
    try {
      return parse(response.body()).getString("error", null);
    } catch (RuntimeException notJson) {
      return null;
    }
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

  static ClusterView parseClusterView(String json) {
    JsonObject body = parse(json);
    List<ClusterView.Member> members = new ArrayList<>();
    JsonArray all = body.containsKey("members") ? body.getJsonArray("members") : JsonValue.EMPTY_JSON_ARRAY;
    for (JsonObject member : all.getValuesAs(JsonObject.class)) {
      members.add(new ClusterView.Member(
          longOr(member, "id", 0L),
          member.getString("role", null),
          member.getString("peer", null),
          member.getString("http", null),
          longOr(member, "matchIndex", null)));
    }
    return new ClusterView(
        longOr(body, "self", 0L),
        longOr(body, "leader", null),
        longOr(body, "term", 0L),
        longOr(body, "commitIndex", 0L),
        longOr(body, "appliedIndex", 0L),
        longOr(body, "snapshotIndex", 0L),
        members);
  }

  private static JsonObject parse(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }

  /** The number under {@code name}, or {@code absent} when it is missing or null. */
  private static Long longOr(JsonObject object, String name, Long absent) {
    return object.get(name) instanceof JsonNumber number ? number.longValue() : absent;
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
