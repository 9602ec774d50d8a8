package io.raftkv.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Reads one {@code GET /watch} server-sent-event stream with java.net.http, line by line. A stream
 * silent for longer than {@code idle} (several heartbeats) is closed, so every read is bounded in time.
 */
final class SseStream {

  /** One dispatched event (a blank line ended it); {@code id} null when it had none. */
  record Event(String id, String name, String data) {}

  /** How a stream ended: the HTTP status and, when it was not 200, the error body and Retry-After. */
  record Outcome(int status, String body, String retryAfter) {}

  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sse-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  private final Duration idle;

  SseStream(Duration idle) {
    this.idle = idle;
  }

  /**
   * Opens {@code uri} (with {@code Last-Event-ID} when not null) and hands every event to
   * {@code onEvent} until it returns false, the stream ends, or it stays silent too long.
   */
  Outcome read(URI uri, String lastEventId, Predicate<Event> onEvent) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Accept", "text/event-stream").GET();
    if (lastEventId != null) request.header("Last-Event-ID", lastEventId);
    HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        return new Outcome(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8),
            response.headers().firstValue("Retry-After").orElse(null));
      }
      readEvents(body, onEvent);
      return new Outcome(200, "", null);
    }
  }

  private void readEvents(InputStream body, Predicate<Event> onEvent) throws IOException {
    AtomicLong lastLine = new AtomicLong(System.nanoTime());
    ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastLine.get() > idle.toNanos()) closeQuietly(body);
    }, 200, 200, TimeUnit.MILLISECONDS);
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String id = null;
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line; (line = lines.readLine()) != null; ) {
        lastLine.set(System.nanoTime());
        if (line.isEmpty()) {
          if (name != null || data.length() > 0) {
            if (!onEvent.test(new Event(id, name, data.toString()))) return;
          }
          id = null;
          name = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          if (data.length() > 0) data.append('\n');
          data.append(line.substring(5).stripLeading());
        }
      }
    } catch (IOException closedOrReset) {
      // the node died, or the watchdog closed a silent stream: the caller reconnects
    } finally {
      watchdog.cancel(false);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
