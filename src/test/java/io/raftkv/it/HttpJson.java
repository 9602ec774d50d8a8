package io.raftkv.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A small HTTP client for the raftkv API in integration tests: every body is read as text. */
final class HttpJson {

  private final HttpClient client;
  private final URI base;

  /**
   * {@code base} is the deployment's root URL, e.g. http://127.0.0.1:8080/. HTTP/1.1, as docs/api.md
   * ("HTTP versions") tells clients: the JDK's default (HTTP/2) asks for an h2c upgrade on plain HTTP,
   * which Payara answers unreliably.
   */
  HttpJson(URI base) {
    this(base, HttpClient.Version.HTTP_1_1);
  }

  HttpJson(URI base, HttpClient.Version version) {
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Waits until the node names a leader. The node opens its HTTP listener only once the application
   * has deployed (docs/operations.md, "Answers while starting and stopping"), which can be a moment
   * after the container reports the deployment: a refused connection at first is part of the wait.
   */
  void awaitLeader(Duration atMost) {
    AtomicReference<Object> last = new AtomicReference<>("nothing yet");
    try {
      Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            try {
              Reply reply = get("cluster");
              last.set(reply);
              JsonObject cluster = reply.json();
              return cluster.containsKey("leader") && !cluster.isNull("leader"); // "leader": null while electing
            } catch (UncheckedIOException | AssertionError e) {
              last.set(e); // refused while the listener opens, or not yet the store's JSON
              return false;
            }
          });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no leader named at " + base + "cluster within " + atMost + "; last answer: "
          + last.get(), e);
    }
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply delete(String path) {
    return send(request(path).DELETE());
  }

  /** Like {@code curl -X METHOD URL -d BODY}: curl sends application/x-www-form-urlencoded. */
  Reply curlStyle(String method, String path, String body) {
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  Reply json(String method, String path, String body) {
    return send(request(path).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  /** {@link #json} with extra request headers (e.g. {@code Idempotency-Key}). */
  Reply json(String method, String path, String body, java.util.Map<String, String> headers) {
    HttpRequest.Builder builder = request(path).header("Content-Type", "application/json");
    headers.forEach(builder::header);
    return send(builder.method(method, body == null
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  Reply bytes(String method, String path, byte[] body) {
    return send(request(path).method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
  }

  private Reply send(HttpRequest.Builder builder) {
    try {
      HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.headers().firstValue("Allow").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response: status, raw body, Content-Type, Allow header (null when absent). */
  record Reply(int status, String body, String contentType, String allow) {

    /** The body as a JSON object; fails the test when it is not one. */
    JsonObject json() {
      try (JsonReader reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
