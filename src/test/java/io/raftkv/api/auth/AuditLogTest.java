package io.raftkv.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The audit line's fields (who, what, from where, outcome) and that a crafted path cannot forge a line. */
class AuditLogTest {

  @Test
  void oneLineNamesTheSubjectTheActionTheClientAndTheOutcome() {
    assertThat(AuditLog.line("admin", "DELETE /cluster/members/4", "10.0.0.7", "200"))
        .isEqualTo("admin sub=\"admin\" action=\"DELETE /cluster/members/4\" from=10.0.0.7 outcome=200");
    assertThat(AuditLog.line(null, "POST /cluster/leader", "127.0.0.1", "401 no bearer token"))
        .isEqualTo("admin sub=\"-\" action=\"POST /cluster/leader\" from=127.0.0.1 outcome=401 no bearer token");
  }

  @Test
  void controlCharactersAndQuotesAreEscapedSoAPathCannotForgeASecondLine() {
    String forged = "POST /x\n2026-01-01 INFO [raftkv.audit] admin sub=\"root\" action=\"y";
    String line = AuditLog.line("a\"b", forged, "127.0.0.1", "403");
    assertThat(line).doesNotContain("\n").contains("sub=\"a\\u0022b\"")
        .contains("action=\"POST /x\\u000a2026-01-01 INFO [raftkv.audit] admin sub=\\u0022root\\u0022 action=\\u0022y\"");
  }

  @Test
  void recordWritesExactlyOneInfoRecordOnTheAuditLogger() {
    List<LogRecord> records = new ArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        records.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    AuditLog.LOG.addHandler(capture);
    try {
      AuditLog.record("ops", "POST /cluster/members", "127.0.0.1", "200");
    } finally {
      AuditLog.LOG.removeHandler(capture);
    }
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.getLoggerName()).isEqualTo("raftkv.audit");
      assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.INFO);
      assertThat(r.getMessage()).isEqualTo("admin sub=\"ops\" action=\"POST /cluster/members\" from=127.0.0.1 outcome=200");
    });
  }
}
