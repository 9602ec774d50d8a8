package io.raftkv.api.json;

import io.raftkv.api.error.ApiException;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads request bodies as JSON objects whatever their Content-Type ({@code curl -d} sends
 * form-encoded), never buffering more than the configured limit, and answers malformed input with
 * 400s the API chooses itself.
 */
public final class RequestBodies {

  private static final int CHUNK = 8192;
  /**
   * How much of a too-large body is read and thrown away before the 413 (see below). Beyond it the
   * rest is not read: the listener then swallows at most its max-swallowing-input-bytes (4 MiB,
   * server-config/post-boot.txt) and closes the connection, so a node reads at most about the body
   * limit + 8 MiB of any body, however long it is declared or sent (KvApiIT sends 64 MiB).
   */
  private static final long DRAIN_LIMIT = 4L << 20;

  /**
   * Created once: {@code Json.createParser} looks the JSON-P provider up through the class loader
   * (a ServiceLoader scan) on every call, which cost ~6% of the leader's CPU under PUT load.
   */
  private static final JsonParserFactory PARSERS = JsonProvider.provider().createParserFactory(Map.of());

  private RequestBodies() {}

  /**
   * Reads at most {@code maxBytes} bytes; a longer body is a 413. {@code declaredLength} is the
   * Content-Length header (null when absent).
   */
  public static byte[] readBounded(InputStream in, Long declaredLength, int maxBytes) {
    return readBounded(in, declaredLength, maxBytes, DRAIN_LIMIT);
  }

  /**
   * The rest of a too-large body is read and thrown away (up to {@code drainLimit} bytes), never
   * buffered: HTTP clients that send the whole body before reading the response would otherwise
   * wait forever for their 413.
   */
  static byte[] readBounded(InputStream in, Long declaredLength, int maxBytes, long drainLimit) {
    if (in == null) {
      return new byte[0];
    }
    try {
      if (declaredLength != null && declaredLength > maxBytes) {
        drain(in, drainLimit);
        throw tooLarge(maxBytes);
      }
      if (declaredLength != null && declaredLength >= 0) {
        // The usual case: read exactly the declared bytes into one array (no chunk buffer, no copy).
        // The container never hands over more than Content-Length.
        return in.readNBytes(declaredLength.intValue());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(CHUNK, maxBytes + 1));
      byte[] chunk = new byte[CHUNK];
      int total = 0;
      int n;
      while ((n = in.read(chunk, 0, Math.min(CHUNK, maxBytes + 1 - total))) > 0) {
        total += n;
        if (total > maxBytes) {
          drain(in, drainLimit);
          throw tooLarge(maxBytes);
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // The client broke off mid-body (or sent a broken chunk): its request, not the store, failed.
      throw ApiException.badRequest("incomplete body", "the request body could not be read: " + e.getMessage());
    }
  }

  private static void drain(InputStream in, long limit) throws IOException {
    byte[] sink = new byte[CHUNK];
    long drained = 0;
    int n;
    while (drained < limit && (n = in.read(sink, 0, (int) Math.min(CHUNK, limit - drained))) > 0) {
      drained += n;
    }
  }

  /** Parses a non-empty body that must hold one JSON object. */
  public static JsonObject parseObject(byte[] body) {
    if (isBlank(body)) {
      throw ApiException.badRequest("malformed JSON", "the request body must be a JSON object");
    }
    try (JsonParser parser = createParser(body)) {
      if (parser.next() != JsonParser.Event.START_OBJECT) {
        throw ApiException.badRequest("malformed JSON", "the request body must be a JSON object");
      }
      JsonObject object = parser.getObject();
      if (parser.hasNext()) {
        throw ApiException.badRequest("malformed JSON", "unexpected content after the JSON object");
      }
      return object;
    } catch (JsonException e) {
      throw ApiException.badRequest("malformed JSON", e.getMessage());
    }
  }

  /**
   * A body that starts like UTF-8 JSON is decoded here and parsed from a String: given bytes, the
   * parser wraps them in an InputStreamReader whose 8 KiB decoding buffer was a quarter of a PUT's
   * allocations (docs/benchmarks.md, ninth session). Anything else (a byte-order mark, or the zero bytes
   * of UTF-16/32) goes to the parser's own encoding detection, as before. Both decode malformed UTF-8
   * to U+FFFD.
   */
  private static JsonParser createParser(byte[] body) {
    boolean plainUtf8 = body[0] > 0 && (body.length < 2 || body[1] != 0);
    return plainUtf8
        ? PARSERS.createParser(new StringReader(new String(body, StandardCharsets.UTF_8)))
        : PARSERS.createParser(new ByteArrayInputStream(body));
  }

  /** Like {@link #parseObject} but an empty body is an empty object (for optional bodies). */
  public static JsonObject parseOptionalObject(byte[] body) {
    if (isBlank(body)) {
      return JsonObject.EMPTY_JSON_OBJECT;
    }
    return parseObject(body);
  }

  /**
   * Whether the body is empty or only whitespace, without decoding it into a String first: a body
   * starting with '{' answers after one byte. Anything unusual falls back to {@link String#isBlank}.
   */
  static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b > ' ' && b < 0x7f) return false;
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
      return new String(body, StandardCharsets.UTF_8).isBlank();
    }
    return true;
  }

  /** The Content-Length header; a malformed one is ignored, as the bounded read enforces the limit anyway. */
  public static Long parseLength(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ApiException tooLarge(int maxBytes) {
    return ApiException.tooLarge("request body too large", "the limit is " + maxBytes + " bytes");
  }
}
