package io.raftkv.api.container;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps Payara's connector from writing a stack trace per request for paths it cannot decode.
 *
 * <p>The connector ({@code CoyoteAdapter.postParseRequest}) decodes and normalizes a request's path
 * before any web application sees it. A path with a broken percent-escape ({@code /kv/%G1},
 * {@code /kv/%}) or some trailing dot segments ({@code /..}) makes Grizzly's URI decoder throw an
 * exception the connector does not expect: it logs it as {@code SEVERE} with a ~30-line stack trace
 * and sends the untouched default response, an empty {@code 200} (docs/api.md, "Answers that are the
 * container's"). Nothing of the store runs, so nothing of the store can answer; but one such request
 * a second would fill the disk with stack traces. Installed on the connector's logger, this filter
 * drops exactly those records (an exception thrown by Grizzly's URI decoder inside
 * {@code postParseRequest}) and logs instead one line, without stack trace, at most once per
 * {@link #REPORT_EVERY_NANOS}, counting the requests dropped since the last one.
 */
final class MalformedTargetLogFilter implements Filter {

  /** The logger of Payara's web container core, where the connector logs request failures. */
  static final String CONNECTOR_LOGGER = "jakarta.enterprise.web.core";
  static final long REPORT_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private static final Logger LOG = Logger.getLogger(MalformedTargetLogFilter.class.getName());
  private static final Set<String> URI_DECODERS = Set.of(
      "org.glassfish.grizzly.http.util.URLDecoder", "org.glassfish.grizzly.http.util.HttpRequestURIDecoder");

  private final Filter previous;
  private final LongSupplier nanoClock;
  private long dropped;
  private long lastReportNanos;
  private boolean reported;

  MalformedTargetLogFilter(Filter previous, LongSupplier nanoClock) {
    this.previous = previous;
    this.nanoClock = nanoClock;
  }

  @Override
  public boolean isLoggable(LogRecord record) {
    if (!isMalformedTarget(record.getThrown())) {
      return previous == null || previous.isLoggable(record);
    }
    String report = count(record.getThrown());
    if (report != null) {
      LOG.warning(report);
    }
    return false;
  }

  /** The filter that was on the logger before this one (null: none); restored on undeploy. */
  Filter previous() {
    return previous;
  }

  /** The line to log now, or null while the last one is less than a period old. */
  synchronized String count(Throwable failure) {
    dropped++;
    long now = nanoClock.getAsLong();
    if (reported && now - lastReportNanos < REPORT_EVERY_NANOS) {
      return null;
    }
    String line = dropped + " request(s) with a path that is not valid percent-encoding, or that the"
        + " connector could not normalize, were answered by Payara's connector itself with an empty 200"
        + " before reaching the store (latest: " + failure + "); their stack traces are not logged,"
        + " at most one such line is, per minute (docs/api.md)";
    dropped = 0;
    lastReportNanos = now;
    reported = true;
    return line;
  }

  /** An exception Grizzly's URI decoder threw while the connector decoded a request's path. */
  static boolean isMalformedTarget(Throwable failure) {
    if (!(failure instanceof IllegalArgumentException || failure instanceof IllegalStateException
        || failure instanceof IndexOutOfBoundsException)) {
      return false;
    }
    StackTraceElement[] frames = failure.getStackTrace();
    return frames.length > 0 && URI_DECODERS.contains(frames[0].getClassName())
        && Arrays.stream(frames).anyMatch(frame -> frame.getMethodName().equals("postParseRequest")
            && frame.getClassName().equals("org.apache.catalina.connector.CoyoteAdapter"));
  }
}
