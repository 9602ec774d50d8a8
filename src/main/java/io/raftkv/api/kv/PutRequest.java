package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.JsonFields;
import io.raftkv.kv.Condition;
import io.raftkv.kv.KvCommand;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * A validated PUT body: {@code {"value": "..."}} plus at most one precondition —
 * {@code prevRevision} (the key's current revision), {@code prevValue} (its current value) or
 * {@code prevExist: false} (the key must not exist) — and an optional {@code ttl}: whole seconds, 1 to
 * {@link #MAX_TTL_SECONDS}, after which the key is deleted ({@code ttlSeconds} 0: none, which also
 * clears a TTL the key had).
 */
public record PutRequest(String value, Condition condition, long ttlSeconds) {

  /** One year (docs/api.md). */
  public static final long MAX_TTL_SECONDS = KvCommand.Put.MAX_TTL_SECONDS;

  private static final Set<String> FIELDS = Set.of("value", "prevRevision", "prevValue", "prevExist", "ttl");

  /** A put without a TTL. */
  public PutRequest(String value, Condition condition) {
    this(value, condition, 0);
  }

  public static PutRequest parse(JsonObject body, ApiLimits limits) {
    JsonFields.requireOnly(body, FIELDS);
    if (!JsonFields.has(body, "value")) {
      throw ApiException.badRequest("invalid field", "'value' is required");
    }
    String value = JsonFields.string(body, "value");
    limits.checkValue(value);
    return new PutRequest(value, condition(body, limits), ttl(body));
  }

  private static long ttl(JsonObject body) {
    String invalid = "'ttl' must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS;
    Long ttl;
    try {
      ttl = JsonFields.wholeNumber(body, "ttl", 1);
    } catch (ApiException e) {
      throw ApiException.badRequest("invalid field", invalid);
    }
    if (ttl == null) return 0;
    if (ttl > MAX_TTL_SECONDS) throw ApiException.badRequest("invalid field", invalid);
    return ttl;
  }

  private static Condition condition(JsonObject body, ApiLimits limits) {
    Long prevRevision = JsonFields.wholeNumber(body, "prevRevision", 1);
    String prevValue = JsonFields.string(body, "prevValue");
    Boolean prevExist = JsonFields.bool(body, "prevExist");
    int given = (prevRevision != null ? 1 : 0) + (prevValue != null ? 1 : 0) + (prevExist != null ? 1 : 0);
    if (given > 1) {
      throw ApiException.badRequest("invalid precondition",
          "give at most one of 'prevRevision', 'prevValue', 'prevExist'");
    }
    if (prevRevision != null) {
      return Condition.modRevision(prevRevision);
    }
    if (prevValue != null) {
      limits.checkValue(prevValue);
      return Condition.valueEquals(prevValue);
    }
    if (prevExist != null) {
      if (prevExist) {
        throw ApiException.badRequest("invalid precondition",
            "'prevExist': true is not supported; use 'prevRevision' or 'prevValue'");
      }
      return Condition.absent();
    }
    return Condition.NONE;
  }
}
