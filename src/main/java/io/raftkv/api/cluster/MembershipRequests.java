package io.raftkv.api.cluster;

import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.JsonFields;
import jakarta.json.JsonObject;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Validated bodies of the membership endpoints. */
final class MembershipRequests {

  /** host:port with a non-empty host (name, IPv4, or bracketed IPv6) and a port in 1..65535. */
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9._-]+):(\\d{1,5})");

  private MembershipRequests() {}

  /** {@code {"id": 4, "peer": "host:9093", "http": "host:8083"}}; http is optional. */
  record AddMember(long id, String peer, String http) {}

  static AddMember parseAddMember(JsonObject body) {
    JsonFields.requireOnly(body, Set.of("id", "peer", "http"));
    Long id = JsonFields.wholeNumber(body, "id", 1);
    String peer = JsonFields.string(body, "peer");
    if (id == null || peer == null) {
      throw ApiException.badRequest("invalid field", "'id' and 'peer' are required");
    }
    String http = JsonFields.string(body, "http");
    checkHostPort("peer", peer);
    if (http != null) {
      checkHostPort("http", http);
    }
    return new AddMember(id, peer, http);
  }

  /** {@code {"to": 2}} or an empty body (the leader picks the most up-to-date voter). */
  static OptionalLong parseTransfer(JsonObject body) {
    JsonFields.requireOnly(body, Set.of("to"));
    Long to = JsonFields.wholeNumber(body, "to", 1);
    return to == null ? OptionalLong.empty() : OptionalLong.of(to);
  }

  static long parseMemberId(String id) {
    try {
      long value = Long.parseLong(id);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.badRequest("invalid member id", "'" + id + "' is not a whole number >= 1");
  }

  private static void checkHostPort(String field, String address) {
    var matcher = HOST_PORT.matcher(address);
    if (!matcher.matches() || Integer.parseInt(matcher.group(2)) < 1 || Integer.parseInt(matcher.group(2)) > 65535) {
      throw ApiException.badRequest("invalid field", "'" + field + "' must be host:port, got '" + address + "'");
    }
  }
}
