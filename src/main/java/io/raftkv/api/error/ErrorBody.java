package io.raftkv.api.error;

import io.raftkv.api.json.JsonFields;
import io.raftkv.api.kv.EntryResponse;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The JSON body of every error response: {@code {"error": "...", "detail": ...}}. Null members are
 * left out of the JSON; {@code key} names the missing key of a 404, {@code current} the key's state
 * when a compare-and-set fails (absent when the key does not exist), {@code oldestRevision} the oldest
 * revision a watch can still start from (410).
 */
@JsonbPropertyOrder({"error", "detail", "key", "current", "oldestRevision"})
public record ErrorBody(String error, String detail, String key, EntryResponse current, Long oldestRevision) {

  public ErrorBody(String error, String detail, String key, EntryResponse current) {
    this(error, detail, key, current, null);
  }

  /** Texts may echo client input; an unpaired surrogate in them could not be written as UTF-8. */
  public ErrorBody {
    error = printable(error);
    detail = printable(detail);
    key = printable(key);
  }

  private static String printable(String text) {
    if (text == null || JsonFields.unpairedSurrogate(text) < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
      if (paired) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  public static ErrorBody of(String error, String detail) {
    return new ErrorBody(error, detail, null, null);
  }
}
