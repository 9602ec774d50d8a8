package io.raftkv.api.kv;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.raftkv.api.ApiLimits;
import io.raftkv.api.RequestRunner;
import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import io.raftkv.api.error.ErrorTranslator;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvService;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key API of a node whose container is still deploying (docs/operations.md, "Early HTTP"): the
 * requests {@link KvServlet} answers itself (GET, PUT, DELETE of one plain key; {@link
 * KvFastPathRules}), with the same calls ({@link KvCalls}), bodies ({@link KvJson}) and error shapes
 * ({@link ErrorTranslator}), on the JDK's HTTP server. Every other request gets the store's {@code 503
 * "node is starting"} with {@code Retry-After}, as the serving gate answers before the Raft loop runs.
 *
 * <p>Why: after a crash Payara Micro needs 8-25 s to deploy the application (more on a loaded
 * 2-core machine), while the Raft node is back within 2-6 s. Without this, a cluster whose nodes were
 * all restarting had a Raft quorum and no API. {@code io.raftkv.boot.EarlyHttp} loads this class in a
 * class loader of its own (with JSON-P) before the container boots, and closes it when the deployment
 * adopts the node, just before the container's own listener opens.
 */
public final class EarlyKvHandler implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(EarlyKvHandler.class.getName());
  private static final String JSON = "application/json";

  private final KvCalls calls;
  private final RequestRunner runner = new RequestRunner(RequestMetrics.NONE);

  /** Called reflectively by {@code io.raftkv.boot.EarlyHttp}: only JDK and Jakarta-free types. */
  public EarlyKvHandler(KvService kv, Function<String, Optional<String>> config) {
    this.calls = new KvCalls(kv, ApiLimits.fromConfig(config));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (RuntimeException e) {
      answer(exchange, ErrorTranslator.translate(e));
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    var headers = exchange.getRequestHeaders();
    KvFastPathRules.Route route = KvFastPathRules.route(exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(), "", exchange.getRequestURI().getRawQuery(),
        headers.getFirst("Accept"), headers.getFirst("Content-Type"));
    if (route == null) {
      answer(exchange, starting());
      return;
    }
    String key = route.key();
    String idempotency = headers.getFirst(IdempotencyKeyHeader.NAME);
    switch (route.op()) {
      case GET -> run(exchange, "get", () -> calls.get(key, route.consistency()), KvJson::entry);
      case PUT -> {
        InputStream body = exchange.getRequestBody();
        String length = headers.getFirst("Content-Length");
        run(exchange, "put", () -> calls.put(key, idempotency, length, body), KvJson::entry);
      }
      case DELETE -> run(exchange, "delete", () -> calls.delete(key, idempotency), KvJson::deleted);
    }
  }

  /** Answers when the call completes: on this thread for a local read, else on the completing one. */
  private <T> void run(HttpExchange exchange, String operation, Supplier<? extends CompletionStage<T>> call,
      Function<T, byte[]> json) {
    runner.run(operation, call).whenComplete((value, failure) -> {
      try {
        if (failure != null) {
          answer(exchange, ErrorTranslator.translate(failure));
        } else {
          send(exchange, 200, json.apply(value));
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "answering an early request failed (client gone?)", e);
        exchange.close();
      }
    });
  }

  /** What the serving gate answers until the container serves: the store's 503, retry in a second. */
  static ApiError starting() {
    return new ApiError(503, ErrorBody.of("unavailable", "node is starting"), Map.of("Retry-After", "1"));
  }

  private static void answer(HttpExchange exchange, ApiError error) throws IOException {
    error.headers().forEach(exchange.getResponseHeaders()::set);
    send(exchange, error.status(), KvJson.error(error.body()));
  }

  /**
   * Closing the exchange drains what is left of the request body (up to the JDK server's bound). Every
   * answer closes its connection: at the hand-over to the container the server closes all connections,
   * and a request sent on an idle kept-alive one just then got no answer at all (a write of unknown
   * outcome: 41 of 69 such writes in one crash/restart test run, the other 28 at kill -9).
   */
  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Connection", "close");
      exchange.getResponseHeaders().set("Content-Type", JSON);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
