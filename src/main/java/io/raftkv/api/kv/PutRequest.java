package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.JsonFields;
import io.raftkv.kv.Condition;
import jakarta.json.JsonObject;
import java.util.Set;

/**
 * A validated PUT body: {@code {"value": "..."}} plus at most one precondition —
 * {@code prevRevision} (the key's current revision), {@code prevValue} (its current value) or
 * {@code prevExist: false} (the key must not exist).
 */
public record PutRequest(String value, Condition condition) {

  private static final Set<String> FIELDS = Set.of("value", "prevRevision", "prevValue", "prevExist");

  public static PutRequest parse(JsonObject body, ApiLimits limits) {
    JsonFields.requireOnly(body, FIELDS);
    if (!JsonFields.has(body, "value")) {
      throw ApiException.badRequest("invalid field", "'value' is required");
    }
    String value = JsonFields.string(body, "value");
    limits.checkValue(value);
    return new PutRequest(value, condition(body, limits));
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
