package io.raftkv.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Slowloris clients for SecureClusterIT: TLS connections to one node that send the head of a request
 * (never finished) one byte at a time. Each connection remembers when the server closed it.
 */
final class SlowClients implements AutoCloseable {
  static final byte[] HEAD = ("GET /kv/sec/a HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
      + "a".repeat(4000)).getBytes(StandardCharsets.US_ASCII);

  private final List<Conn> conns = new ArrayList<>();

  /** One connection: its socket, how many bytes of HEAD it sent, and when the server closed it (or -1). */
  static final class Conn {
    final SSLSocket socket;
    int sent;
    volatile long closedAtNanos = -1;

    Conn(SSLSocket socket) {
      this.socket = socket;
    }

    /** A reader thread blocks until the server answers or closes: then the connection counts as closed. */
    void watch() {
      Thread t = new Thread(() -> {
        try {
          socket.getInputStream().read();
        } catch (IOException e) {
          // reset or closed: the same outcome
        }
        closedAtNanos = System.nanoTime();
      }, "slow-client-reader");
      t.setDaemon(true);
      t.start();
    }

    boolean open() {
      return closedAtNanos < 0;
    }
  }

  /** Opens {@code n} TLS connections (handshake done) to host:port. */
  static SlowClients open(SSLContext tls, String host, int port, int n) throws IOException {
    SlowClients clients = new SlowClients();
    try {
      for (int i = 0; i < n; i++) {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
        s.setSoTimeout(0);
        s.startHandshake();
        Conn c = new Conn(s);
        c.watch();
        clients.conns.add(c);
      }
    } catch (IOException e) {
      clients.close();
      throw e;
    }
    return clients;
  }

  /** Sends the next byte of HEAD on every open connection; a failed write marks it closed. */
  void trickle() {
    for (Conn c : conns) {
      if (!c.open() || c.sent >= HEAD.length) continue;
      try {
        OutputStream out = c.socket.getOutputStream();
        out.write(HEAD[c.sent++]);
        out.flush();
      } catch (IOException e) {
        if (c.open()) c.closedAtNanos = System.nanoTime();
      }
    }
  }

  List<Conn> conns() {
    return conns;
  }

  long openCount() {
    return conns.stream().filter(Conn::open).count();
  }

  @Override
  public void close() {
    for (Conn c : conns) {
      try {
        c.socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
