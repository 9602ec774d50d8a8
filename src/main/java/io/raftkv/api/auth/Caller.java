package io.raftkv.api.auth;

import java.util.List;
import java.util.Set;

/**
 * Who a verified token speaks for: its subject, the roles it grants and, when the token carries the
 * {@code raftkv_prefixes} claim, the key prefixes it is limited to (empty: every key).
 */
public record Caller(String subject, Set<Role> roles, List<String> prefixes) {

  public Caller {
    roles = Set.copyOf(roles);
    prefixes = List.copyOf(prefixes);
  }

  public boolean scoped() {
    return !prefixes.isEmpty();
  }
}
