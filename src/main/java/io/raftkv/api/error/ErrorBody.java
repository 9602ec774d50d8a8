package io.raftkv.api.error;

import io.raftkv.api.kv.EntryResponse;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The JSON body of every error response: {@code {"error": "...", "detail": ...}}. Null members are
 * left out of the JSON; {@code key} names the missing key of a 404, {@code current} the key's state
 * when a compare-and-set fails (absent when the key does not exist).
 */
@JsonbPropertyOrder({"error", "detail", "key", "current"})
public record ErrorBody(String error, String detail, String key, EntryResponse current) {

  public static ErrorBody of(String error, String detail) {
    return new ErrorBody(error, detail, null, null);
  }
}
