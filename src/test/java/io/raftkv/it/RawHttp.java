package io.raftkv.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A bare HTTP/1.1 client on a socket, so a test can send what no well-behaved client would: malformed
 * request lines, invalid percent-encodings, lying Content-Lengths, bodies cut short or sent slowly.
 * One request per connection ({@code Connection: close}); the response is read until the server closes.
 */
final class RawHttp {

  /**
   * A request as bytes on the wire; {@code pieces} of the body are sent {@code pauseMillis} apart.
   * {@code cutShort}: the body ends before its framing says (a Content-Length {@code lengthDelta} too
   * large, or a broken chunk); the client then half-closes, as a client that died mid-body would.
   * {@code wellFormed}: the request is valid HTTP/1.1 (RFC 9112, RFC 3986 target), so it reaches the
   * application rather than being refused by the server's HTTP parser.
   */
  record Request(String method, String target, List<String> headers, byte[] body, boolean declareLength,
                 long lengthDelta, int pieces, int pauseMillis, boolean cutShort, boolean wellFormed) {

    /** The request line and headers exactly as {@link RawHttp#send} writes them, blank line included. */
    String head(String host, int port) {
      StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(host).append(':').append(port).append("\r\n");
      head.append("Connection: close\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      if (declareLength) {
        head.append("Content-Length: ").append(Math.max(0, body.length + lengthDelta)).append("\r\n");
      }
      return head.append("\r\n").toString();
    }

    String describe() {
      String shown = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
      return method + " " + target + " " + headers + " body(" + body.length + " bytes, length "
          + (declareLength ? "declared" + (lengthDelta == 0 ? "" : " " + lengthDelta) : "absent")
          + ", " + pieces + " pieces" + (cutShort ? ", cut short" : "") + (wellFormed ? "" : ", malformed HTTP")
          + "): " + shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
  }

  /**
   * The status (0 when the connection closed without a response), Content-Type and body text.
   * {@code heldOpen}: the answer came but the server kept the connection open after it (see
   * {@link #CONNECT_QUIET_MILLIS}).
   */
  record Response(int status, String contentType, String body, boolean heldOpen, String allow) {
    Response(int status, String contentType, String body) {
      this(status, contentType, body, false, null);
    }

    Response(int status, String contentType, String body, boolean heldOpen) {
      this(status, contentType, body, heldOpen, null);
    }
  }

  private static final int MAX_RESPONSE_BYTES = 1 << 20;
  private static final int TIMEOUT_MILLIS = 15_000;
  private static final int CUT_SHORT_TIMEOUT_MILLIS = 2_000;
  /**
   * Grizzly takes a CONNECT without a Content-Length for the start of a tunnel: it writes the answer
   * at once but without a length, and closes only when the client does (or after its 30 s idle
   * timeout). For CONNECT the answer is therefore read until the connection stays quiet this long
   * after the answer's head arrived.
   */
  private static final int CONNECT_QUIET_MILLIS = 300;

  private final String host;
  private final int port;

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The size in bytes of the request line and headers of {@code r} as sent to this server. */
  int headBytes(Request r) {
    return r.head(host, port).length();
  }

  Response send(Request r) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      // A client that broke off mid-body waits only briefly: the server may answer, close, or wait for more.
      socket.setSoTimeout(r.cutShort() ? CUT_SHORT_TIMEOUT_MILLIS : TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(r.head(host, port).getBytes(StandardCharsets.ISO_8859_1));
      writeBody(out, r);
      out.flush();
      if (r.cutShort()) {
        socket.shutdownOutput(); // the server sees the body end early
      }
      try {
        return r.method().equals("CONNECT") ? readUntilQuiet(socket) : read(socket.getInputStream());
      } catch (IOException timedOut) {
        if (r.cutShort()) {
          return new Response(0, "", ""); // no answer to a request that never ended
        }
        throw timedOut;
      }
    }
  }

  /**
   * The answer to a body that the server is not expected to read to its end, and how many of its
   * bytes the client could write before the server stopped reading (closed the connection).
   */
  record HugeBodyAnswer(Response response, long bytesWritten, boolean writeRefused) {}

  /**
   * Sends {@code bodyBytes} of body (declared by Content-Length, or in 64 KiB chunks) from a second
   * thread while this one reads the answer, as a client that reads while it sends would: the answer
   * arrives even when the server closes the connection before the body ends.
   */
  HugeBodyAnswer sendHugeBody(String method, String target, long bodyBytes, boolean chunked)
      throws IOException, InterruptedException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      String head = method + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port
          + "\r\nConnection: close\r\nContent-Type: application/json\r\n"
          + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bodyBytes) + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      long[] written = {0};
      boolean[] refused = {false};
      Thread writer = new Thread(() -> {
        byte[] piece = new byte[65_536];
        Arrays.fill(piece, (byte) 'v');
        byte[] chunkHead = (Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try {
          while (written[0] < bodyBytes) {
            int n = (int) Math.min(piece.length, bodyBytes - written[0]);
            if (chunked) {
              out.write(n == piece.length ? chunkHead : (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write(piece, 0, n);
            if (chunked) {
              out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            written[0] += n;
          }
          if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          }
          out.flush();
        } catch (IOException closedByServer) {
          refused[0] = true;
        }
      }, "huge-body-writer");
      writer.start();
      Response response = read(socket.getInputStream());
      writer.join(TIMEOUT_MILLIS);
      socket.close(); // unblocks a writer still waiting on a full socket buffer
      writer.join(TIMEOUT_MILLIS);
      return new HugeBodyAnswer(response, written[0], refused[0]);
    } finally {
      socket.close();
    }
  }

  private static void writeBody(OutputStream out, Request r) throws IOException {
    byte[] body = r.body();
    int pieces = Math.max(1, Math.min(r.pieces(), Math.max(1, body.length)));
    int at = 0;
    for (int i = 0; i < pieces; i++) {
      int end = i == pieces - 1 ? body.length : (int) ((long) body.length * (i + 1) / pieces);
      try {
        out.write(body, at, end - at);
        out.flush();
      } catch (IOException refused) {
        return; // the server answered (e.g. 413) and closed early: its response is still to be read
      }
      at = end;
      if (r.pauseMillis() > 0 && i < pieces - 1) {
        sleep(r.pauseMillis());
      }
    }
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while (bytes.size() < MAX_RESPONSE_BYTES && (n = in.read(buffer)) > 0) {
        bytes.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("no complete response within " + TIMEOUT_MILLIS + " ms", e);
    } catch (IOException reset) {
      // a reset after the response was written (the server closed with unread body bytes): keep what came
    }
    return parse(bytes.toString(StandardCharsets.ISO_8859_1));
  }

  /** Reads until the server closes, or stays quiet {@link #CONNECT_QUIET_MILLIS} after the head. */
  private static Response readUntilQuiet(Socket socket) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    InputStream in = socket.getInputStream();
    long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
    try {
      int n;
      while (bytes.size() < MAX_RESPONSE_BYTES) {
        boolean headSeen = bytes.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
        socket.setSoTimeout(headSeen ? CONNECT_QUIET_MILLIS
            : (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        if ((n = in.read(buffer)) <= 0) {
          return parse(bytes.toString(StandardCharsets.ISO_8859_1));
        }
        bytes.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException quiet) {
      Response answer = parse(bytes.toString(StandardCharsets.ISO_8859_1));
      if (answer.status() == 0) {
        throw new IOException("no complete response within " + TIMEOUT_MILLIS + " ms", quiet);
      }
      return new Response(answer.status(), answer.contentType(), answer.body(), true, answer.allow());
    } catch (IOException reset) {
      // as in read(): keep what came
    }
    return parse(bytes.toString(StandardCharsets.ISO_8859_1));
  }

  private static Response parse(String raw) {
    while (raw.matches("(?s)HTTP/1\\.[01] 1\\d\\d .*") && raw.contains("\r\n\r\n")) {
      raw = raw.substring(raw.indexOf("\r\n\r\n") + 4); // an interim answer (100 Continue): the final one follows
    }
    int headEnd = raw.indexOf("\r\n\r\n");
    if (!raw.startsWith("HTTP/1.") || headEnd < 0) {
      return new Response(0, "", raw);
    }
    String[] lines = raw.substring(0, headEnd).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    String allow = null;
    boolean chunked = false;
    for (String line : lines) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-type:")) {
        contentType = line.substring(13).trim();
      } else if (lower.startsWith("allow:")) {
        allow = line.substring(6).trim();
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    String body = raw.substring(headEnd + 4);
    byte[] latin = body.getBytes(StandardCharsets.ISO_8859_1);
    String text = new String(chunked ? dechunk(latin) : latin, StandardCharsets.UTF_8);
    return new Response(status, contentType, text, false, allow);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOfCrLf(body, at);
      if (lineEnd < 0) break;
      String sizeText = new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int size = Integer.parseInt(sizeText, 16);
      if (size == 0) break;
      out.write(body, lineEnd + 2, Math.min(size, body.length - lineEnd - 2));
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrLf(byte[] b, int from) {
    for (int i = from; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') return i;
    }
    return -1;
  }

  private static void sleep(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
