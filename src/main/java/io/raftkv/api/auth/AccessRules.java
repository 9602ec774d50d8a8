package io.raftkv.api.auth;

import java.util.function.UnaryOperator;

/**
 * Which role and which keys a request needs, from its method, path (decoded, below the context root)
 * and query parameters. Pure: {@code AccessRulesTest} covers every route of docs/api.md.
 *
 * <p>Fail closed: a path this class does not know, under {@code /kv} or {@code /cluster} or anywhere
 * else, needs {@code admin} for anything but GET and {@code read} for GET, so an endpoint added later is
 * never open by accident; whoever adds one adds its line here (as /txn and /watch have).
 */
public final class AccessRules {

  private AccessRules() {}

  /**
   * @param path  the request path below the context root, percent-decoded, starting with '/'
   * @param query a query parameter's first value, or null when absent
   * @param metricsOpen whether /metrics is served without a token (else it needs {@code read})
   */
  public static Requirement of(String method, String path, UnaryOperator<String> query, boolean metricsOpen) {
    String action = method + " " + path;
    if (under(path, "/health") || under(path, "/openapi") || (metricsOpen && under(path, "/metrics"))) {
      return Requirement.OPEN; // probes, the API document, and the metrics unless raftkv.auth.metrics.open=false
    }
    if ("OPTIONS".equals(method) || "TRACE".equals(method) || "CONNECT".equals(method)) {
      return Requirement.OPEN; // answered by RequestGuard (api.container) without reaching a resource
    }
    if (under(path, "/ui")) {
      return Requirement.OPEN; // the dashboard's static files; its data comes from /cluster
    }
    boolean reading = "GET".equals(method) || "HEAD".equals(method);
    if (path.startsWith("/kv/") && path.length() > "/kv/".length()) {
      String key = path.substring("/kv/".length());
      boolean writing = "PUT".equals(method) || "DELETE".equals(method);
      if (reading || writing) return Requirement.key(reading ? Role.READ : Role.WRITE, action, key);
    }
    if (path.equals("/kv") || path.equals("/kv/")) {
      if (reading) return rangeOf(action, query);
      if ("PUT".equals(method) || "DELETE".equals(method)) return Requirement.key(Role.WRITE, action, "");
    }
    if (path.equals("/txn") && "POST".equals(method)) {
      // The txn's keys are in its body, which the auth gate does not read: a prefix-scoped token is
      // refused (an empty key is inside no prefix); an unscoped writer may run any txn.
      return Requirement.key(Role.WRITE, action, "");
    }
    if (path.equals("/watch") && reading) return watchOf(action, query);
    if (path.equals("/cluster/status") && reading) {
      // As GET /cluster: the answering node forwards the caller's token, and each member checks it again.
      return Requirement.unkeyed(Role.READ, action);
    }
    return reading ? Requirement.unkeyed(Role.READ, action) : Requirement.unkeyed(Role.ADMIN, action);
  }

  /** GET /watch: one {@code key}, or the keys under {@code prefix} (absent or empty: every key). */
  private static Requirement watchOf(String action, UnaryOperator<String> query) {
    String key = query.apply("key");
    if (key != null && !key.isEmpty()) return Requirement.key(Role.READ, action, key);
    String prefix = query.apply("prefix");
    if (prefix != null && !prefix.isEmpty()) {
      return Requirement.range(Role.READ, action, prefix, Scopes.successor(prefix));
    }
    return Requirement.range(Role.READ, action, "", null);
  }

  private static boolean under(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }

  /** GET /kv: {@code prefix}, or {@code [start, end)}, as RangeParams reads them (empty = absent). */
  private static Requirement rangeOf(String action, UnaryOperator<String> query) {
    String prefix = query.apply("prefix");
    if (prefix != null && !prefix.isEmpty()) {
      return Requirement.range(Role.READ, action, prefix, Scopes.successor(prefix));
    }
    String start = query.apply("start");
    return Requirement.range(Role.READ, action, start == null ? "" : start, query.apply("end"));
  }
}
