package io.raftkv.api.cluster;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads another member's {@code GET /cluster} answer (ClusterResponse's JSON) back into a
 * {@link ClusterResponse}. A member is another process and may answer anything (an older version, a
 * proxy's page, garbage): whatever is not that JSON is refused with a short reason, never thrown on.
 */
final class MemberViewJson {
  /** More members than {@code GET /cluster/status} asks is an answer it does not need to read. */
  static final int MAX_MEMBERS = 64;

  private MemberViewJson() {}

  /** @throws IllegalArgumentException the bytes are not a {@code /cluster} view; the message says why */
  static ClusterResponse parse(byte[] json) {
    JsonObject o;
    try (JsonReader reader = Json.createReader(new ByteArrayInputStream(json))) {
      JsonValue value = reader.readValue();
      if (!(value instanceof JsonObject object)) throw new IllegalArgumentException("not a JSON object");
      o = object;
    } catch (JsonException e) {
      throw new IllegalArgumentException("not JSON (" + e.getMessage() + ")", e);
    }
    return new ClusterResponse(number(o, "self"), optionalNumber(o, "leader"), number(o, "term"),
        number(o, "commitIndex"), number(o, "appliedIndex"), number(o, "snapshotIndex"),
        optionalString(o, "membership"), optionalNumber(o, "logFirstIndex"), optionalNumber(o, "logLastIndex"),
        optionalNumber(o, "logEntries"), optionalNumber(o, "snapshotsInstalled"), optionalNumber(o, "dataBytes"),
        members(o));
  }

  private static List<ClusterResponse.MemberResponse> members(JsonObject o) {
    if (!(o.get("members") instanceof jakarta.json.JsonArray array)) {
      throw new IllegalArgumentException("no members list");
    }
    if (array.size() > MAX_MEMBERS) throw new IllegalArgumentException("more than " + MAX_MEMBERS + " members");
    List<ClusterResponse.MemberResponse> members = new ArrayList<>(array.size());
    for (JsonValue v : array) {
      if (!(v instanceof JsonObject m)) throw new IllegalArgumentException("a member is not an object");
      members.add(new ClusterResponse.MemberResponse(number(m, "id"), optionalString(m, "role"),
          optionalString(m, "peer"), optionalString(m, "http"), optionalNumber(m, "matchIndex"),
          optionalNumber(m, "snapshotIndex"), optionalNumber(m, "logEntries")));
    }
    return members;
  }

  private static long number(JsonObject o, String name) {
    Long value = optionalNumber(o, name);
    if (value == null) throw new IllegalArgumentException("no " + name);
    return value;
  }

  private static Long optionalNumber(JsonObject o, String name) {
    JsonValue v = o.get(name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) return null;
    if (!(v instanceof JsonNumber n) || !n.isIntegral()) throw new IllegalArgumentException(name + " is not a whole number");
    try {
      return n.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(name + " is out of range", e);
    }
  }

  private static String optionalString(JsonObject o, String name) {
    JsonValue v = o.get(name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) return null;
    if (!(v instanceof JsonString s)) throw new IllegalArgumentException(name + " is not a string");
    return s.getString();
  }
}
