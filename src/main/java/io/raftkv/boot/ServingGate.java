package io.raftkv.boot;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers every request with the store's JSON {@code 503} and {@code Retry-After} while the node is
 * not serving: before its Raft loop runs and from the moment the JVM starts to shut down. Without
 * it a client would see whatever the container answers in those windows (an HTML 404 is
 * indistinguishable from "key not found" by status code). Before deployment the HTTP listener is
 * not even open (bin/raftkv-node enables it with a post-deploy command), so this filter covers the
 * rest: a loop that is not running yet or any more, and shutdown.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ServingGate extends HttpFilter {
  static final String RETRY_AFTER_SECONDS = "1";

  /**
   * The node's state, set by {@link NodeLifecycle}. Static, not injected: during shutdown the CDI
   * contexts are torn down while requests still arrive, and a proxy call would then fail with an
   * exception the container turns into an empty HTML 500 — exactly what this filter exists to prevent.
   */
  private static volatile boolean loopRunning;
  private static volatile boolean stopping;

  static void serving(boolean running) {
    loopRunning = running;
  }

  static void stopping() {
    stopping = true;
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String refusal = refusal(stopping, loopRunning);
    if (refusal == null) {
      try {
        chain.doFilter(req, res);
        return;
      } catch (IOException | ServletException | RuntimeException e) {
        // Shutdown began while the request was inside: answer like a refused one if still possible.
        if (!stopping || res.isCommitted()) throw e;
        refusal = refusal(true, false);
        res.reset();
      }
    }
    byte[] body = unavailableJson(refusal).getBytes(StandardCharsets.UTF_8);
    res.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    res.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  /** Why the node cannot serve now, or null when it can. */
  static String refusal(boolean stopping, boolean loopRunning) {
    if (stopping) return "node is stopping";
    if (!loopRunning) return "node is starting";
    return null;
  }

  /** The same shape as every other error body: {"error":"unavailable","detail":"..."}. */
  static String unavailableJson(String detail) {
    return "{\"error\":\"unavailable\",\"detail\":\"" + detail + "\"}";
  }
}
