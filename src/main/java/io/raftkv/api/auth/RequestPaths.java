package io.raftkv.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The request path the resources will see, decoded the way JAX-RS decodes path parameters. */
final class RequestPaths {

  private RequestPaths() {}

  /**
   * The path below the context root, percent-decoded ('+' stays '+'); null when it has a '.' or '..'
   * segment or a ';' (the container could resolve it to another resource or key than the one checked)
   * or a broken escape.
   */
  static String decodedPath(String requestUri, String contextPath) {
    String raw = requestUri.substring(Math.min(contextPath.length(), requestUri.length()));
    if (raw.isEmpty()) raw = "/";
    String decoded = decode(raw);
    if (decoded == null) return null;
    boolean dotSegment = Arrays.stream(decoded.split("/", -1)).anyMatch(s -> s.equals(".") || s.equals(".."));
    // ';' starts a matrix parameter, which JAX-RS strips from a path segment before matching.
    return dotSegment || raw.indexOf(';') >= 0 ? null : decoded;
  }

  private static String decode(String raw) {
    byte[] out = new byte[raw.length() * 3];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) return null;
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) return null;
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
          bytes = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        System.arraycopy(bytes, 0, out, n, bytes.length);
        n += bytes.length;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }
}
