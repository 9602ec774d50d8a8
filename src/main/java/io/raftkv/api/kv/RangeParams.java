package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.JsonFields;
import io.raftkv.kv.RangeQuery;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The query parameters of a range read ({@code GET /kv}), as the client sent them (null: absent), and
 * their validation into a {@link RangeQuery}. Either {@code prefix}, or {@code start} and/or {@code end}
 * (half-open {@code [start, end)}), or none of them (every key); {@code after} pages on from a key;
 * {@code limit} 1..{@value RangeQuery#MAX_LIMIT} (default {@value RangeQuery#DEFAULT_LIMIT});
 * {@code countOnly} true or false. An empty {@code prefix}, {@code start}, {@code after}, {@code limit}
 * or {@code countOnly} counts as absent; an empty {@code end} is refused (leave it out to read to the
 * last key).
 */
record RangeParams(String prefix, String start, String end, String after, String limit, String countOnly) {

  /** Every bad parameter is a 400 naming it; nothing reaches the store. */
  public RangeQuery toQuery(ApiLimits limits) {
    checkBound("prefix", prefix, limits);
    checkBound("start", start, limits);
    checkBound("end", end, limits);
    checkBound("after", after, limits);
    boolean counting = parsedCountOnly();
    Integer maxEntries = parsedLimit();
    if (counting && maxEntries != null) {
      throw ApiException.badRequest("invalid limit",
          "'limit' does not apply to countOnly=true: it counts the whole range");
    }
    RangeQuery query = keys();
    if (after != null && !after.isEmpty()) query = query.withAfter(after);
    if (maxEntries != null) query = query.withLimit(maxEntries);
    return counting ? query.counting() : query;
  }

  private RangeQuery keys() {
    boolean hasPrefix = prefix != null && !prefix.isEmpty();
    if (hasPrefix && ((start != null && !start.isEmpty()) || end != null)) {
      throw ApiException.badRequest("invalid range", "give either 'prefix' or 'start'/'end', not both");
    }
    if (hasPrefix) return RangeQuery.prefix(prefix);
    String from = start == null ? "" : start;
    if (end != null && end.isEmpty()) {
      throw ApiException.badRequest("invalid range",
          "'end' must not be empty: leave it out to read up to the last key");
    }
    if (end != null && end.compareTo(from) <= 0) {
      throw ApiException.badRequest("invalid range", "'end' must be above 'start' (the range is [start, end))");
    }
    return RangeQuery.between(from, end);
  }

  private Integer parsedLimit() {
    if (limit == null || limit.isEmpty()) return null;
    boolean digits = limit.length() <= 9 && limit.chars().allMatch(c -> c >= '0' && c <= '9');
    int value = digits ? Integer.parseInt(limit) : -1;
    if (value < 1 || value > RangeQuery.MAX_LIMIT) {
      throw ApiException.badRequest("invalid limit",
          "'limit' must be a whole number from 1 to " + RangeQuery.MAX_LIMIT + ", not '" + limit + "'");
    }
    return value;
  }

  private boolean parsedCountOnly() {
    if (countOnly == null || countOnly.isEmpty()) return false;
    return switch (countOnly.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ApiException.badRequest("invalid countOnly",
          "'countOnly' must be true or false, not '" + countOnly + "'");
    };
  }

  /** A bound is compared with keys, so it obeys the key rules (the empty string aside). */
  private static void checkBound(String name, String value, ApiLimits limits) {
    if (value == null) return;
    int bad = JsonFields.unpairedSurrogate(value);
    if (bad >= 0) {
      throw ApiException.badRequest("invalid range",
          "'" + name + "' is not valid Unicode: unpaired surrogate at char " + bad);
    }
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.keyBytes()) {
      throw ApiException.badRequest("invalid range",
          "'" + name + "' is " + bytes + " bytes; keys are at most " + limits.keyBytes() + " bytes");
    }
  }
}
