package io.raftkv.transport;

/** A peer's "host:port" (IPv6 hosts in brackets: "[::1]:9090"). */
record PeerAddress(String host, int port) {

  PeerAddress {
    if (host == null || host.isEmpty()) throw new IllegalArgumentException("empty host");
    if (port <= 0 || port > 65535) throw new IllegalArgumentException("bad port " + port);
  }

  static PeerAddress parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("peer address must be host:port, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    try {
      return new PeerAddress(host, Integer.parseInt(address.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in peer address '" + address + "'", e);
    }
  }
}
