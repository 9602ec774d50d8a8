package io.raftkv.api.json;

import io.raftkv.api.error.ApiException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;
import java.util.TreeSet;

/** Typed access to request fields with 400s that name the field; JSON null counts as absent. */
public final class JsonFields {

  private JsonFields() {}

  /** Rejects unknown fields: a misspelt precondition must not turn into an unconditional write. */
  public static void requireOnly(JsonObject object, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(object.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw ApiException.badRequest("unknown field",
          "unknown " + unknown + "; allowed fields are " + new TreeSet<>(allowed));
    }
  }

  public static boolean has(JsonObject object, String name) {
    JsonValue value = object.get(name);
    return value != null && value.getValueType() != JsonValue.ValueType.NULL;
  }

  /** A string field, or null when absent. */
  public static String string(JsonObject object, String name) {
    if (!has(object, name)) {
      return null;
    }
    if (object.get(name) instanceof JsonString string) {
      String text = string.getString();
      int bad = unpairedSurrogate(text);
      if (bad >= 0) {
        throw ApiException.badRequest("invalid field",
            "'" + name + "' is not valid Unicode: unpaired surrogate at char " + bad);
      }
      return text;
    }
    throw ApiException.badRequest("invalid field", "'" + name + "' must be a string");
  }

  /**
   * Index of the first unpaired UTF-16 surrogate, or -1. JSON's \\u escapes can name one
   * ({@code "\\ud800"}), but such a string has no UTF-8 encoding, so it can be neither stored nor
   * replicated.
   */
  public static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** A whole-number field in [min, Long.MAX_VALUE], or null when absent. */
  public static Long wholeNumber(JsonObject object, String name, long min) {
    if (!has(object, name)) {
      return null;
    }
    if (object.get(name) instanceof JsonNumber number && number.isIntegral()) {
      try {
        long value = number.longValueExact();
        if (value >= min) {
          return value;
        }
      } catch (ArithmeticException e) {
        // falls through to the error below: the number does not fit a long
      }
    }
    throw ApiException.badRequest("invalid field", "'" + name + "' must be a whole number >= " + min);
  }

  /** A boolean field, or null when absent. */
  public static Boolean bool(JsonObject object, String name) {
    if (!has(object, name)) {
      return null;
    }
    JsonValue.ValueType type = object.get(name).getValueType();
    if (type == JsonValue.ValueType.TRUE || type == JsonValue.ValueType.FALSE) {
      return type == JsonValue.ValueType.TRUE;
    }
    throw ApiException.badRequest("invalid field", "'" + name + "' must be true or false");
  }
}
