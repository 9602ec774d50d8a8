package io.raftkv.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --endpoints}: a comma-separated list of base URLs. A bare port ({@code 8081}) reuses the
 * scheme and host of the entry before it, so {@code http://127.0.0.1:8080,8081,8082} names three nodes.
 */
final class Endpoints {
  static final String DEFAULT = "http://127.0.0.1:8080,8081,8082";

  private Endpoints() {}

  static List<URI> parse(String spec) {
    List<URI> out = new ArrayList<>();
    URI previous = null;
    for (String raw : spec.split(",")) {
      String part = raw.trim();
      if (part.isEmpty()) {
        continue;
      }
      URI uri = part.matches("\\d{1,5}") ? withPort(previous, part) : absolute(part);
      out.add(uri);
      previous = uri;
    }
    if (out.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "--endpoints names no endpoint");
    }
    return List.copyOf(out);
  }

  private static URI withPort(URI previous, String port) {
    if (previous == null) {
      throw new CliException(ExitCodes.USAGE, "--endpoints: bare port " + port + " needs a URL before it");
    }
    return URI.create(previous.getScheme() + "://" + previous.getHost() + ":" + port);
  }

  private static URI absolute(String part) {
    String withScheme = part.contains("://") ? part : "http://" + part;
    try {
      URI uri = URI.create(withScheme.endsWith("/") ? withScheme.substring(0, withScheme.length() - 1) : withScheme);
      if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException("not an http URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, "--endpoints: bad endpoint '" + part + "'");
    }
  }
}
