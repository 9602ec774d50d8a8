package io.raftkv.boot;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Whether the node serves requests now, and the answer when it does not: the store's JSON {@code 503}
 * with {@code Retry-After}, before its Raft loop runs and from the moment the JVM starts to shut down.
 * Without it a client would see whatever the container answers in those windows (an HTML 404 is
 * indistinguishable from "key not found" by status code). Before deployment the HTTP listener is not
 * even open (bin/raftkv-node enables it with a post-deploy command), so this covers the rest: a loop
 * that is not running yet or any more, and shutdown. {@link FrontFilter} asks it first, for every request.
 */
final class ServingGate {
  static final String RETRY_AFTER_SECONDS = "1";

  /**
   * The node's state, set by {@link NodeLifecycle}. Static, not injected: during shutdown the CDI
   * contexts are torn down while requests still arrive, and a proxy call would then fail with an
   * exception the container turns into an empty HTML 500 — exactly what this gate exists to prevent.
   */
  private static volatile boolean loopRunning;
  private static volatile boolean stopping;

  private ServingGate() {}

  static void serving(boolean running) {
    loopRunning = running;
  }

  static void stopping() {
    stopping = true;
  }

  static boolean isStopping() {
    return stopping;
  }

  /** Why the node cannot serve now, or null when it can. */
  static String refusal() {
    return refusal(stopping, loopRunning);
  }

  /** Why a node in this state cannot serve, or null when it can. */
  static String refusal(boolean stopping, boolean loopRunning) {
    if (stopping) return "node is stopping";
    if (!loopRunning) return "node is starting";
    return null;
  }

  /** Answers 503 + Retry-After with {@link #unavailableJson}. */
  static void answerUnavailable(HttpServletResponse res, String refusal) throws IOException {
    byte[] body = unavailableJson(refusal).getBytes(StandardCharsets.UTF_8);
    res.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    res.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  /** The same shape as every other error body: {"error":"unavailable","detail":"..."}. */
  static String unavailableJson(String detail) {
    return "{\"error\":\"unavailable\",\"detail\":\"" + detail + "\"}";
  }
}
