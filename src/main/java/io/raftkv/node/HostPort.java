package io.raftkv.node;

/**
 * A {@code host:port} address. IPv6 literals are written in brackets ({@code [::1]:9090}). An empty
 * host ({@code :9090}) means the loopback address, so a quick local start needs no host at all.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range 1-65535: " + port);
  }

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException naming the bad text when it is not a valid address
   */
  public static HostPort parse(String text) {
    String s = text == null ? "" : text.trim();
    int colon = s.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("expected host:port but got '" + s + "'");
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (host.isEmpty()) host = "127.0.0.1";
    if (host.contains(":") && !s.startsWith("[")) {
      throw new IllegalArgumentException("IPv6 host must be in brackets, e.g. [::1]:9090: '" + s + "'");
    }
    String portText = s.substring(colon + 1);
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + s + "'");
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range 1-65535 in '" + s + "'");
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
