package io.raftkv.api.auth;

import java.util.List;

/**
 * The decision: may this caller do what this request needs? Pure (no container, no token parsing):
 * {@code ScopesTest}.
 */
public final class Scopes {

  private Scopes() {}

  /** Null when allowed, else why not (the detail of a 403). */
  public static String denial(Requirement need, Caller caller) {
    if (need.open()) return null;
    if (!caller.roles().contains(need.role())) {
      return "this token lacks the '" + need.role().claimName() + "' role needed for " + need.action();
    }
    if (!need.keyed() || !caller.scoped()) return null;
    boolean inside = need.key() != null
        ? keyInside(need.key(), caller.prefixes())
        : rangeInside(need.rangeStart(), need.rangeEnd(), caller.prefixes());
    return inside ? null : "this token may only touch keys under " + caller.prefixes() + ": "
        + (need.key() != null ? "key '" + need.key() + "' is outside" : "the range must lie inside one prefix");
  }

  static boolean keyInside(String key, List<String> prefixes) {
    return !key.isEmpty() && prefixes.stream().anyMatch(key::startsWith);
  }

  /**
   * {@code [start, end)} lies inside prefix p when start starts with p and end either starts with p or
   * is p's successor: every key between two keys that share p shares p, in any order that sorts by
   * characters or by UTF-8 bytes. An open end (null) is inside no prefix.
   */
  static boolean rangeInside(String start, String end, List<String> prefixes) {
    if (end == null) return false;
    for (String p : prefixes) {
      if (start.startsWith(p) && (end.startsWith(p) || end.equals(successor(p)))) return true;
    }
    return false;
  }

  /** The smallest string above every string that starts with p, or null when there is none. */
  static String successor(String p) {
    for (int i = p.length() - 1; i >= 0; i--) {
      char c = p.charAt(i);
      if (c != Character.MAX_VALUE) return p.substring(0, i) + (char) (c + 1);
    }
    return null;
  }
}
