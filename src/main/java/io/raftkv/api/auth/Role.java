package io.raftkv.api.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token's {@code groups} claim may grant (docs/security.md, "Roles"). Roles do not imply each other. */
public enum Role {
  READ, WRITE, ADMIN;

  public String claimName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a {@code groups} entry names, if any; other groups are ignored. */
  public static Optional<Role> fromClaim(String group) {
    for (Role role : values()) {
      if (role.claimName().equals(group)) return Optional.of(role);
    }
    return Optional.empty();
  }
}
