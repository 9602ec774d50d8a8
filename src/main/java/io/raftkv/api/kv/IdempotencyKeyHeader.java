package io.raftkv.api.kv;

import io.raftkv.api.error.ApiException;

/**
 * The {@code Idempotency-Key} request header of writes: 1 to {@link #MAX_CHARS} visible ASCII
 * characters (a UUID fits), chosen by the client, one per logical request.
 */
public final class IdempotencyKeyHeader {
  public static final String NAME = "Idempotency-Key";
  public static final int MAX_CHARS = 128;

  private IdempotencyKeyHeader() {}

  /** The header's value, null when absent; anything else than 1..128 visible ASCII characters is a 400. */
  public static String parse(String header) {
    if (header == null) return null;
    if (header.isEmpty() || header.length() > MAX_CHARS) {
      throw ApiException.badRequest("invalid idempotency key",
          "the Idempotency-Key header must have 1 to " + MAX_CHARS + " characters; it has " + header.length());
    }
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw ApiException.badRequest("invalid idempotency key",
            "the Idempotency-Key header may hold only visible ASCII characters (bad character at " + i + ")");
      }
    }
    return header;
  }
}
