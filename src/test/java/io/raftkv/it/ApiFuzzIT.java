package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random requests against the built WAR on Payara Micro (see {@link RequestFuzzer}): no answer is a
 * 500, every error answer is the store's JSON {@code {"error", "detail"}} except exactly the answers
 * docs/api.md lists as Payara's own (each held to its documented shape), and no rejected request
 * changes the node's data (the applied index stays put, the sentinel keys keep their values and
 * revisions). Status 0 in the summary counts requests that got no answer (cut short mid-body, or not
 * HTTP), -1 requests that got none within the client's timeout. Requests that are not valid HTTP
 * are refused by the server's HTTP parser before the store sees them: for those only "no 5xx" is
 * checked, and the summary counts them.
 *
 * <p>System properties: {@code raftkv.fuzz.seed} (default 20261128), {@code raftkv.fuzz.requests}
 * (default 3000; the {@code fuzz} profile runs 100,000), {@code raftkv.fuzz.from} (first request
 * index, to replay a failure), {@code raftkv.fuzz.max.seconds} (time bound; reaching it fails).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiFuzzIT {

  private static final int SENTINELS = 8;
  private static final int MAX_REPORTED = 25;
  /** Grizzly's default max-http-header-size (request line and headers). */
  private static final int CONTAINER_MAX_HEAD_BYTES = 8_192;
  /**
   * Whether Grizzly counts the head's last CRLFs against its limit is not something the store promises;
   * a head this close to the limit may get either answer. (Found at 100,000 requests: a 8,194-byte
   * head, blank line included, got the empty 400 that an estimate of the head's size had not expected.)
   */
  private static final int HEAD_LIMIT_SLACK = 4;

  @Deployment(testable = false)
  static WebArchive war() {
    return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("raftkv.war", "target/raftkv.war")));
  }

  @ArquillianResource
  URL base;

  @Test
  void randomRequestsNeverAnswer500AlwaysShapeTheirErrorsAndRejectedOnesChangeNothing() throws Exception {
    long seed = Long.getLong("raftkv.fuzz.seed", 20261128L);
    long count = Long.getLong("raftkv.fuzz.requests", 3000L);
    long from = Long.getLong("raftkv.fuzz.from", 0L);
    long started = System.nanoTime();
    long deadline = started + Duration.ofSeconds(Long.getLong("raftkv.fuzz.max.seconds", 240L)).toNanos();
    HttpJson http = new HttpJson(base.toURI());
    http.awaitLeader(Duration.ofSeconds(60));
    Map<String, JsonObject> sentinels = writeSentinels(http);
    RequestFuzzer fuzzer = new RequestFuzzer(seed);
    RawHttp raw = new RawHttp(base.getHost(), base.getPort());
    long applied = settledAppliedIndex(http);
    Map<Integer, Long> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long sent = 0;
    long malformed = 0;
    long refusedByConnector = 0;
    long heldOpen = 0;
    for (long i = from; i < from + count && System.nanoTime() < deadline; i++, sent++) {
      RawHttp.Request request = fuzzer.request(i);
      RawHttp.Response response;
      String problem;
      try {
        response = raw.send(request);
        problem = problemWith(request, response, raw.headBytes(request));
      } catch (IOException e) {
        response = new RawHttp.Response(-1, "", "");
        problem = e.getMessage();
      }
      statuses.merge(response.status(), 1L, Long::sum);
      malformed += request.wellFormed() ? 0 : 1;
      refusedByConnector += request.wellFormed() && refusedByConnector(request) ? 1 : 0;
      heldOpen += response.heldOpen() ? 1 : 0;
      if (mayHaveWritten(request, response)) {
        applied = settledAppliedIndex(http); // a write (or a 504: maybe one) moved it: the new baseline
      } else {
        long now = appliedIndex(http);
        if (problem == null && now != applied) {
          problem = "a rejected request changed the node's data: appliedIndex " + applied + " -> " + now;
        }
        applied = now;
      }
      boolean severe = response.status() >= 500 || response.status() < 0; // reported even past the first 25
      if (problem != null && failures.size() < (severe ? 2 * MAX_REPORTED : MAX_REPORTED)) {
        failures.add("#" + i + " " + problem + "\n    request: " + request.describe()
            + "\n    answer: " + response.status() + " " + response.contentType() + " " + abbreviate(response.body()));
      }
      if ((i + 1) % 1000 == 0) {
        checkSentinels(http, sentinels, failures);
      }
    }
    checkSentinels(http, sentinels, failures);
    System.out.printf("ApiFuzzIT seed=%d from=%d sent=%d in %d s (not valid HTTP: %d, refused by the connector: %d,"
            + " CONNECT answers held open: %d) statuses=%s problems=%d%n", seed, from, sent,
        Duration.ofNanos(System.nanoTime() - started).toSeconds(), malformed, refusedByConnector, heldOpen, statuses,
        failures.size());
    failures.forEach(System.out::println);
    assertThat(failures).as("replay with -Draftkv.fuzz.seed=%d -Draftkv.fuzz.from=<#>", seed).isEmpty();
    assertThat(sent).as("requests sent before the time bound (seed %d)", seed).isEqualTo(count);
  }

  /** Null when the answer is acceptable for the request. */
  private static String problemWith(RawHttp.Request request, RawHttp.Response response, int headBytes) {
    int status = response.status();
    if (status == 0) {
      // A client that dies mid-body gets no answer: there is no one left to read it.
      // Bytes that are not HTTP may get a closed connection instead (docs/api.md).
      return request.cutShort() || !request.wellFormed() ? null : "no HTTP response";
    }
    // 503/504 are the store's own answers; 501 (unknown method) and 505 (a request line whose target
    // holds a space) are the HTTP parser's. A 500, or any other 5xx, is a bug.
    if (status >= 500 && status != 501 && status != 503 && status != 504 && status != 505) {
      return "answered " + status;
    }
    if (!request.wellFormed()) {
      return null; // refused by the server's HTTP parser, before the store could shape an answer
    }
    if (status == 400 && response.body().isEmpty() && headBytes > CONTAINER_MAX_HEAD_BYTES - HEAD_LIMIT_SLACK) {
      return null; // Grizzly's limit on the request head (docs/api.md)
    }
    if (ConnectorRefusals.hasDotSegment(request.target())) {
      // Refused while normalizing dot segments (by Grizzly or the connector), or served (docs/api.md).
      if (response.body().isEmpty() && (status == 400 || status == 200)) {
        return null;
      }
    } else if (refusedByConnector(request)) {
      // Refused by Payara's connector before any web application (ConnectorRefusals): exactly its empty 400.
      return status == 400 && response.body().isEmpty() ? null : "expected the connector's empty 400 (docs/api.md)";
    }
    if (status >= 400 && !request.method().equals("HEAD") && !isErrorJson(response)) {
      return "error answer is not the store's JSON";
    }
    return null;
  }

  private static boolean refusedByConnector(RawHttp.Request request) {
    return ConnectorRefusals.refusesTarget(request.target());
  }

  /**
   * 2xx, and 504 "outcome unknown", may have written; 503 promises that nothing was. A 412 (failed
   * compare-and-set), a DELETE's 404 and a 422 (an Idempotency-Key reused for another request) are
   * decided when their log entry is applied, so they move the applied index without changing a key
   * (the sentinels check the keys).
   */
  private static boolean mayHaveWritten(RawHttp.Request request, RawHttp.Response response) {
    int status = response.status();
    boolean decidedAtApply = status == 412 || status == 422
        || (status == 404 && request.method().equals("DELETE") && response.body().contains("\"key not found\""));
    return (status >= 200 && status < 300) || status == 504 || decidedAtApply;
  }

  private static long appliedIndex(HttpJson http) {
    return http.get("cluster").json().getJsonNumber("appliedIndex").longValue();
  }

  /**
   * The applied index once writes in flight are applied: the same value on reads 20 ms apart (at
   * most 2 s). Read live, unlike {@code commitIndex}, which {@code /cluster} publishes once per tick.
   */
  private static long settledAppliedIndex(HttpJson http) throws InterruptedException {
    long previous = appliedIndex(http);
    for (int i = 0; i < 100; i++) {
      Thread.sleep(20);
      long now = appliedIndex(http);
      if (now == previous) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private static boolean isErrorJson(RawHttp.Response response) {
    if (!response.contentType().startsWith("application/json")) {
      return false;
    }
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      JsonObject body = reader.readObject();
      return body.get("error") instanceof jakarta.json.JsonString
          && (!body.containsKey("detail") || body.get("detail").getValueType() != JsonValue.ValueType.OBJECT);
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static Map<String, JsonObject> writeSentinels(HttpJson http) {
    Map<String, JsonObject> written = new TreeMap<>();
    for (int i = 0; i < SENTINELS; i++) {
      String key = RequestFuzzer.SENTINEL_PREFIX + i;
      HttpJson.Reply reply = http.json("PUT", "kv/" + key, "{\"value\":\"sentinel value " + i + "\"}");
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
      written.put(key, reply.json());
    }
    return written;
  }

  private static void checkSentinels(HttpJson http, Map<String, JsonObject> sentinels, List<String> failures) {
    sentinels.forEach((key, written) -> {
      HttpJson.Reply read = http.get("kv/" + key);
      if (read.status() != 200 || !read.json().equals(written)) {
        failures.add("sentinel " + key + " changed: " + written + " -> " + read);
      }
    });
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }
}
