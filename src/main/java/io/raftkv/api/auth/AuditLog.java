package io.raftkv.api.auth;

import java.util.logging.Logger;

/**
 * One line per admin request (membership changes, leader transfer, anything else that needs the
 * {@code admin} role) on the {@code raftkv.audit} logger: who (the token's subject, or "-"), what
 * (method and path) and the outcome (the HTTP status, or the refusal). Route the logger to its own file
 * with server-config/logging.properties (docs/security.md, "Audit log").
 */
final class AuditLog {

  static final Logger LOG = Logger.getLogger("raftkv.audit");

  private AuditLog() {}

  static String line(String subject, String action, String remote, String outcome) {
    return "admin sub=" + quoted(subject == null ? "-" : subject) + " action=" + quoted(action)
        + " from=" + remote + " outcome=" + outcome;
  }

  static void record(String subject, String action, String remote, String outcome) {
    LOG.info(line(subject, action, remote, outcome));
  }

  /** Quoted, with control characters escaped: a client-chosen path cannot forge a second line. */
  private static String quoted(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
