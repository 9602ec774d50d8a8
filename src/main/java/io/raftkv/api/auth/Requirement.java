package io.raftkv.api.auth;

/**
 * What one request needs: a role, and the keys it touches: one {@code key}, or the half-open range
 * {@code [rangeStart, rangeEnd)} ({@code rangeEnd} null: up to the last key), or none ({@code keyed}
 * false: membership and cluster reads, which a prefix scope does not limit). {@code role} null: open.
 */
public record Requirement(Role role, String action, boolean keyed, String key, String rangeStart, String rangeEnd) {

  static final Requirement OPEN = new Requirement(null, "open", false, null, null, null);

  static Requirement unkeyed(Role role, String action) {
    return new Requirement(role, action, false, null, null, null);
  }

  static Requirement key(Role role, String action, String key) {
    return new Requirement(role, action, true, key, null, null);
  }

  static Requirement range(Role role, String action, String start, String end) {
    return new Requirement(role, action, true, null, start, end);
  }

  public boolean open() {
    return role == null;
  }

  public boolean admin() {
    return role == Role.ADMIN;
  }
}
