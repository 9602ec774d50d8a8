package io.raftkv.cli;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Sends one request to the cluster, trying the endpoints in order. It moves to the next endpoint when
 * a node cannot be reached or answers 503 (the API promises nothing was done then, docs/api.md
 * "Errors"), or answers something that is not the store's JSON (Payara's own page while it boots).
 * HTTP/1.1 only: Payara's h2c upgrade garbles large bodies (docs/api.md "HTTP versions").
 */
final class NodeClient {
  private final List<URI> endpoints;
  private final HttpClient http;
  private final Duration timeout;
  private final String token;

  /** {@code token}: sent as {@code Authorization: Bearer} when not null; {@code tls}: for https endpoints. */
  NodeClient(List<URI> endpoints, Duration timeout, String token, SSLContext tls) {
    this.endpoints = endpoints;
    this.timeout = timeout;
    this.token = token;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .sslContext(tls).build();
  }

  /** A node's answer: its status and parsed JSON body, and which endpoint gave it. */
  record Reply(URI endpoint, int status, JsonStructure body) {
    JsonObject object() {
      return body instanceof JsonObject o ? o : Json.createObjectBuilder().build();
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  List<URI> endpoints() {
    return endpoints;
  }

  /**
   * Sends to the first endpoint that answers; a 503 or an unreachable node moves on to the next. A
   * write carries one {@code Idempotency-Key} for all its attempts: a node that timed out or broke
   * the connection after the write reached the log may have applied it, and the next node then
   * answers that first outcome instead of applying it again (docs/api.md "Idempotent retries").
   */
  Reply send(String method, String path, String jsonBody) {
    String idempotencyKey = method.equals("GET") ? null : UUID.randomUUID().toString();
    String lastProblem = "no endpoint";
    Reply last503 = null;
    for (URI endpoint : endpoints) {
      try {
        Reply reply = sendTo(endpoint, method, path, jsonBody, idempotencyKey);
        if (reply.status() != 503) {
          return reply;
        }
        last503 = reply;
        lastProblem = endpoint + ": " + ErrorLine.of(reply);
      } catch (IOException e) {
        lastProblem = endpoint + ": " + describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
      }
    }
    if (last503 != null) {
      return last503;
    }
    throw new CliException(ExitCodes.UNAVAILABLE, "no endpoint answered (last: " + lastProblem + ")");
  }

  /** Sends to exactly this endpoint, no failover (status asks every node for its own view). */
  Reply sendTo(URI endpoint, String method, String path, String jsonBody)
      throws IOException, InterruptedException {
    return sendTo(endpoint, method, path, jsonBody, null);
  }

  private Reply sendTo(URI endpoint, String method, String path, String jsonBody, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                jsonBody == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      request.header("Content-Type", "application/json");
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonStructure body = parse(response.body());
    if (body == null) {
      // Not the store's JSON (Payara's HTML while the application deploys): treat as not ready.
      throw new IOException("answered " + response.statusCode() + " without the store's JSON (still starting?)");
    }
    return new Reply(endpoint, response.statusCode(), body);
  }

  private static JsonStructure parse(String text) {
    if (text == null || text.isBlank()) {
      return Json.createObjectBuilder().build();
    }
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.read();
    } catch (JsonParsingException | IllegalStateException e) {
      return null;
    }
  }

  private static String describe(IOException e) {
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof SSLException) {
      return "TLS handshake failed (" + e.getMessage() + "; does --cacert name the cluster's CA?)";
    }
    return e.getMessage() == null ? kind : e.getMessage();
  }
}
