package io.raftkv.api.watch;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * The parameters of {@code GET /watch}, as the client sent them (null: absent), and their validation.
 * Keys: {@code prefix} (empty or absent: every key) or {@code key} (exactly one key), not both. Start:
 * a {@code Last-Event-ID} header R resumes after revision R (an EventSource reconnecting sends it and
 * it wins over the URL's {@code fromRevision}, which the reconnect repeats); {@code fromRevision} R starts
 * at revision R; neither starts with the next change applied on this node.
 */
record WatchParams(String prefix, String key, String fromRevision, String lastEventId) {

  /** Which keys, and after which revision (empty: from now). */
  record Selection(Predicate<String> keys, OptionalLong afterRevision) {}

  /** Every bad parameter is a 400 naming it. */
  Selection validate(ApiLimits limits) {
    return new Selection(keys(limits), afterRevision());
  }

  private Predicate<String> keys(ApiLimits limits) {
    boolean hasPrefix = prefix != null && !prefix.isEmpty();
    if (hasPrefix && key != null) {
      throw ApiException.badRequest("invalid parameters", "give either 'prefix' or 'key', not both");
    }
    if (key != null) {
      limits.checkKey(key);
      return key::equals;
    }
    if (!hasPrefix) return k -> true;
    limits.checkKey(prefix);
    return k -> k.startsWith(prefix);
  }

  private OptionalLong afterRevision() {
    if (lastEventId != null && !lastEventId.isBlank()) {
      return OptionalLong.of(parse("Last-Event-ID", lastEventId.trim(), 0));
    }
    if (fromRevision != null && !fromRevision.isEmpty()) {
      return OptionalLong.of(parse("fromRevision", fromRevision, 1) - 1);
    }
    return OptionalLong.empty();
  }

  private static long parse(String name, String text, long min) {
    boolean digits = text.length() <= 18 && text.chars().allMatch(c -> c >= '0' && c <= '9');
    long value = digits ? Long.parseLong(text) : -1;
    if (value < min) {
      throw ApiException.badRequest("invalid " + name,
          "'" + name + "' must be a revision, a whole number >= " + min + ", but is '" + text + "'");
    }
    return value;
  }
}
