package io.raftkv.api.kv;

import io.raftkv.api.error.ApiException;
import io.raftkv.kv.ReadConsistency;
import java.util.Locale;

/** Parses the {@code consistency} query parameter; absent means linearizable. */
final class Consistency {

  private Consistency() {}

  static ReadConsistency parse(String param) {
    if (param == null || param.isEmpty()) {
      return ReadConsistency.LINEARIZABLE;
    }
    try {
      return ReadConsistency.valueOf(param.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid consistency",
          "'" + param + "' is not one of linearizable, lease, stale");
    }
  }
}
