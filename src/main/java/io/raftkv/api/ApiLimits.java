package io.raftkv.api;

import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.JsonFields;
import io.raftkv.node.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Size limits of the HTTP API (MicroProfile Config {@code raftkv.limits.*}): keys and values in
 * UTF-8 bytes, whole request bodies in bytes.
 */
public record ApiLimits(int keyBytes, int valueBytes, int bodyBytes) {

  public static final ApiLimits DEFAULTS = new ApiLimits(4096, 1 << 20, 3 << 19);
  /** The configuration keys (defaults: {@link #DEFAULTS}), read by {@code ApiProducers} and {@link #fromConfig}. */
  public static final String KEY_BYTES = "raftkv.limits.key.bytes";
  public static final String VALUE_BYTES = "raftkv.limits.value.bytes";
  public static final String BODY_BYTES = "raftkv.limits.body.bytes";

  public ApiLimits {
    if (keyBytes < 1 || valueBytes < 0 || bodyBytes < 2) {
      throw new IllegalArgumentException("limits must be positive: " + keyBytes + "/" + valueBytes + "/" + bodyBytes);
    }
    // The replicated command format caps keys and values (NodeConfig refuses larger limits at startup).
    if (keyBytes > NodeConfig.MAX_KEY_BYTES || valueBytes > NodeConfig.MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("limits above the wire format's caps: " + keyBytes + "/" + valueBytes);
    }
  }

  /**
   * The limits from a plain configuration lookup, for code that runs before MicroProfile Config exists
   * (the early HTTP API, {@code io.raftkv.api.kv.EarlyKvHandler}). A value that is not a number fails.
   */
  public static ApiLimits fromConfig(Function<String, Optional<String>> config) {
    return new ApiLimits(
        config.apply(KEY_BYTES).map(String::trim).map(Integer::parseInt).orElse(DEFAULTS.keyBytes()),
        config.apply(VALUE_BYTES).map(String::trim).map(Integer::parseInt).orElse(DEFAULTS.valueBytes()),
        config.apply(BODY_BYTES).map(String::trim).map(Integer::parseInt).orElse(DEFAULTS.bodyBytes()));
  }

  /** An empty or over-long key is a 400 (not a 413: the key is part of the URL). */
  public void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw ApiException.badRequest("invalid key", "the key must not be empty");
    }
    int bad = JsonFields.unpairedSurrogate(key);
    if (bad >= 0) {
      throw ApiException.badRequest("invalid key", "the key is not valid Unicode: unpaired surrogate at char " + bad);
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > keyBytes) {
      throw ApiException.badRequest("invalid key",
          "the key is " + bytes + " bytes; the limit is " + keyBytes + " bytes");
    }
  }

  public void checkValue(String value) {
    // Cheap bound first: a UTF-8 encoding takes at least one byte per char, at most three.
    if ((long) value.length() * 3 <= valueBytes) {
      return;
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > valueBytes) {
      throw ApiException.tooLarge("value too large",
          "the value is " + bytes + " bytes; the limit is " + valueBytes + " bytes");
    }
  }
}
