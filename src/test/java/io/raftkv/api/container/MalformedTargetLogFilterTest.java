package io.raftkv.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class MalformedTargetLogFilterTest {

  private static final StackTraceElement CONNECTOR =
      new StackTraceElement("org.apache.catalina.connector.CoyoteAdapter", "postParseRequest", "CoyoteAdapter.java", 426);

  /** An exception as Payara 6.2025.10 throws it for GET /kv/%G1 (node log, trimmed). */
  private static RuntimeException thrownBy(RuntimeException failure, String decoder, String method) {
    failure.setStackTrace(new StackTraceElement[] {
        new StackTraceElement(decoder, method, "X.java", 199),
        new StackTraceElement("org.glassfish.grizzly.http.util.RequestURIRef", "getDecodedRequestURIBC", "R.java", 111),
        CONNECTOR,
        new StackTraceElement("org.apache.catalina.connector.CoyoteAdapter", "doService", "CoyoteAdapter.java", 310)});
    return failure;
  }

  private static LogRecord severe(Throwable thrown) {
    LogRecord record = new LogRecord(Level.SEVERE, "An exception or error occurred in the container");
    record.setThrown(thrown);
    return record;
  }

  @Test
  void theDecodersFailuresInsideTheConnectorAreRecognized() {
    String decoder = "org.glassfish.grizzly.http.util.URLDecoder";
    assertThat(MalformedTargetLogFilter.isMalformedTarget(thrownBy(new IllegalArgumentException(
        "URLDecoder: Illegal hex characters in escape (%) pattern - %G1"), decoder, "decode"))).isTrue();
    assertThat(MalformedTargetLogFilter.isMalformedTarget(thrownBy(new IllegalStateException(
        "Unexpected termination"), decoder, "decode"))).isTrue();
    assertThat(MalformedTargetLogFilter.isMalformedTarget(thrownBy(new ArrayIndexOutOfBoundsException(3),
        "org.glassfish.grizzly.http.util.HttpRequestURIDecoder", "normalizeBytes"))).isTrue();
  }

  @Test
  void everyOtherFailureIsLeftAlone() {
    assertThat(MalformedTargetLogFilter.isMalformedTarget(null)).isFalse();
    assertThat(MalformedTargetLogFilter.isMalformedTarget(new IllegalArgumentException("x"))).isFalse();
    // the same exception type from elsewhere in the connector
    assertThat(MalformedTargetLogFilter.isMalformedTarget(thrownBy(new IllegalStateException("x"),
        "org.apache.catalina.connector.Request", "parseParameters"))).isFalse();
    // the decoder, but not while the connector parses the request line (e.g. an application calling it)
    RuntimeException elsewhere = new IllegalArgumentException("x");
    elsewhere.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("org.glassfish.grizzly.http.util.URLDecoder", "decode", "U.java", 1)});
    assertThat(MalformedTargetLogFilter.isMalformedTarget(elsewhere)).isFalse();
    // a bug of ours that happens to be an IllegalStateException
    assertThat(MalformedTargetLogFilter.isMalformedTarget(thrownBy(new NullPointerException(),
        "org.glassfish.grizzly.http.util.URLDecoder", "decode"))).isFalse();
  }

  @Test
  void dropsTheRecordsAndCountsThemInOneLineAMinuteAtMost() {
    AtomicLong now = new AtomicLong(1_000);
    MalformedTargetLogFilter filter = new MalformedTargetLogFilter(null, now::get);
    RuntimeException bad = thrownBy(new IllegalArgumentException("%G1"), "org.glassfish.grizzly.http.util.URLDecoder", "decode");
    assertThat(filter.isLoggable(severe(bad))).isFalse();
    assertThat(filter.count(bad)).isNull(); // the first one was reported; this one within the minute is counted
    for (int i = 0; i < 1000; i++) {
      assertThat(filter.isLoggable(severe(bad))).isFalse();
    }
    now.addAndGet(MalformedTargetLogFilter.REPORT_EVERY_NANOS);
    assertThat(filter.count(bad)).startsWith("1002 request(s) with a path that is not valid percent-encoding");
    assertThat(filter.count(bad)).isNull();
  }

  @Test
  void otherRecordsGoThroughTheFilterThatWasThereBefore() {
    MalformedTargetLogFilter filter = new MalformedTargetLogFilter(r -> r.getLevel() != Level.FINE, () -> 0);
    assertThat(filter.isLoggable(severe(new IllegalStateException("a real failure")))).isTrue();
    assertThat(filter.isLoggable(new LogRecord(Level.FINE, "filtered before"))).isFalse();
    assertThat(new MalformedTargetLogFilter(null, () -> 0).isLoggable(severe(new RuntimeException()))).isTrue();
    assertThat(filter.previous()).isNotNull();
  }
}
