package io.raftkv.cli;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** The {@code -o} format and the helpers that print JSON values as table cells. */
enum Output {
  table,
  json;

  static String json(JsonStructure value) {
    StringWriter text = new StringWriter();
    try (var writer =
        Json.createWriterFactory(Map.of()).createWriter(text)) {
      writer.write(value);
    }
    return text.toString();
  }

  /** A field as a table cell: strings bare, null or absent as "-". */
  static String cell(JsonObject object, String field) {
    JsonValue value = object.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      return "-";
    }
    if (value instanceof JsonString s) {
      return s.getString();
    }
    return value.toString();
  }

  static long number(JsonObject object, String field, long absent) {
    return object.get(field) instanceof JsonNumber n ? n.longValue() : absent;
  }

  static void print(PrintWriter out, String text) {
    out.print(text.endsWith("\n") ? text : text + "\n");
    out.flush();
  }

  /** Bytes as a short human figure: 2254336 -> "2.1 MiB". */
  static String bytes(long bytes) {
    if (bytes < 0) {
      return "-";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
