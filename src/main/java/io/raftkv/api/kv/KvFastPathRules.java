package io.raftkv.api.kv;

import java.util.Locale;

/**
 * Which {@code /kv} requests {@link KvServlet} answers itself: only those whose meaning cannot differ
 * from what JAX-RS would make of them. A key of plain characters (no percent-escape, no ';' matrix
 * parameter, no empty, '.' or '..' segment, no trailing '/'), no query but {@code consistency} on a
 * GET, an Accept that takes JSON, a PUT body type that JAX-RS reads as the raw body. Everything else
 * (ranges, other methods, escapes, unusual headers) goes to JAX-RS unchanged, so edge cases keep the
 * one behaviour that ApiFuzzIT and KvApiIT pin. Pure.
 */
final class KvFastPathRules {

  static final String PREFIX = "/kv/";

  private KvFastPathRules() {}

  /** What the fast path does with a request. */
  enum Op { GET, PUT, DELETE }

  /** A request the fast path answers: {@code op} on {@code key}; {@code consistency} for a GET ("" when absent). */
  record Route(Op op, String key, String consistency) {}

  /**
   * The route of a request the fast path answers, or null when it does not answer it (the container's
   * servlet hands it to JAX-RS; the early HTTP API answers "node is starting"). One decision for both,
   * so they cannot drift apart. Raw (undecoded) URI and query.
   */
  static Route route(String method, String requestUri, String contextPath, String query, String accept,
      String contentType) {
    String key = keyOf(requestUri, contextPath);
    if (key == null || !acceptsJson(accept)) {
      return null;
    }
    return switch (method) {
      case "GET" -> {
        String consistency = consistencyOf(query);
        yield consistency == null ? null : new Route(Op.GET, key, consistency);
      }
      case "PUT" -> query == null && plainBodyType(contentType) ? new Route(Op.PUT, key, null) : null;
      case "DELETE" -> query == null ? new Route(Op.DELETE, key, null) : null;
      default -> null;
    };
  }

  /** The key named by the raw request URI, or null when the servlet should not answer it itself. */
  static String keyOf(String requestUri, String contextPath) {
    String context = contextPath == null ? "" : contextPath;
    if (requestUri == null || !requestUri.startsWith(PREFIX, context.length()) || !requestUri.startsWith(context)) {
      return null;
    }
    String key = requestUri.substring(context.length() + PREFIX.length());
    return plainKey(key) ? key : null;
  }

  static boolean plainKey(String key) {
    if (key.isEmpty() || key.charAt(key.length() - 1) == '/') {
      return false;
    }
    int segmentStart = 0;
    for (int i = 0; i <= key.length(); i++) {
      if (i == key.length() || key.charAt(i) == '/') {
        if (!plainSegment(key, segmentStart, i)) {
          return false;
        }
        segmentStart = i + 1;
      } else if (!plainChar(key.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean plainSegment(String key, int from, int to) {
    int length = to - from;
    return length > 0 && !(length == 1 && key.charAt(from) == '.')
        && !(length == 2 && key.charAt(from) == '.' && key.charAt(from + 1) == '.');
  }

  /** RFC 3986 unreserved characters and the sub-delimiters JAX-RS leaves as they are in a path. */
  private static boolean plainChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
  }

  /**
   * The {@code consistency} parameter of a GET: "" when there is no query, the value when the query is
   * exactly {@code consistency=<letters>}, null for any other query (JAX-RS answers those).
   */
  static String consistencyOf(String query) {
    if (query == null) {
      return "";
    }
    String name = "consistency=";
    if (!query.startsWith(name) || query.length() == name.length()) {
      return null;
    }
    for (int i = name.length(); i < query.length(); i++) {
      char c = query.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return null;
      }
    }
    return query.substring(name.length());
  }

  /** Whether the Accept header certainly admits {@code application/json} (absent, any, or exactly it). */
  static boolean acceptsJson(String accept) {
    if (accept == null) {
      return true;
    }
    String value = accept.trim().toLowerCase(Locale.ROOT);
    return value.equals("*/*") || value.equals("application/json");
  }

  /**
   * Whether a PUT's Content-Type is one JAX-RS hands to the resource as the raw body: absent, JSON, or
   * form-encoded ({@code curl -d}), with at most a charset parameter.
   */
  static boolean plainBodyType(String contentType) {
    if (contentType == null) {
      return true;
    }
    String value = contentType.trim().toLowerCase(Locale.ROOT);
    int semicolon = value.indexOf(';');
    String type = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
    if (!type.equals("application/json") && !type.equals("application/x-www-form-urlencoded")) {
      return false;
    }
    if (semicolon < 0) {
      return true;
    }
    String parameter = value.substring(semicolon + 1).trim();
    return parameter.equals("charset=utf-8") || parameter.equals("charset=\"utf-8\"");
  }
}
