package io.raftkv.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A watch client as users should write one: follows {@code /watch?prefix=...} on one node and, when
 * the stream ends (node killed, cancelled) or after every {@code switchEvery} events (to exercise
 * resumption), reconnects to the next node with {@code Last-Event-ID} = the last revision received.
 * Runs on its own thread until it has seen {@link #stopAt} or its deadline passes.
 */
final class ResumingWatcher implements Runnable {

  /** One change as received. */
  record Change(long revision, String key, String value) {}

  private final String name;
  private final IntFunction<URI> nodeUri;
  private final List<Integer> nodes;
  private final String query;
  private final int switchEvery;
  private final long deadlineNanos;
  private final SseStream sse = new SseStream(Duration.ofSeconds(5));
  private final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile long lastRevision;
  private volatile long stopAt = Long.MAX_VALUE;
  private volatile String failure;

  ResumingWatcher(String name, IntFunction<URI> nodeUri, List<Integer> nodes, String query, long afterRevision,
      int switchEvery, Duration bound) {
    this.name = name;
    this.nodeUri = nodeUri;
    this.nodes = List.copyOf(nodes);
    this.query = query;
    this.lastRevision = afterRevision;
    this.switchEvery = switchEvery;
    this.deadlineNanos = System.nanoTime() + bound.toNanos();
    this.thread = new Thread(this, "watcher-" + name);
  }

  void start() {
    thread.start();
  }

  /** Finish once a change at or after {@code revision} has arrived. */
  void stopAt(long revision) {
    stopAt = revision;
  }

  void join(Duration bound) throws InterruptedException {
    thread.join(bound.toMillis());
  }

  boolean done() {
    return lastRevision >= stopAt;
  }

  List<Change> changes() {
    return List.copyOf(changes);
  }

  List<String> log() {
    return List.copyOf(log);
  }

  /** Why the watcher gave up (a 410, a malformed event), or null. */
  String failure() {
    return failure;
  }

  @Override
  public void run() {
    int attempt = 0;
    while (!done() && failure == null && System.nanoTime() < deadlineNanos && attempt < 10_000) {
      int node = nodes.get(attempt++ % nodes.size());
      int[] received = {0};
      try {
        SseStream.Outcome outcome = sse.read(nodeUri.apply(node).resolve("watch?" + query),
            Long.toString(lastRevision), e -> accept(e, ++received[0]));
        log.add("node " + node + " after " + lastRevision + ": " + outcome.status() + " " + received[0] + " events");
        if (outcome.status() == 410 || outcome.status() == 400) failure = "node " + node + ": " + outcome;
      } catch (IOException e) {
        log.add("node " + node + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = "interrupted";
      }
      if (!done()) sleep(100);
    }
  }

  /** Returns false to leave this stream. */
  private boolean accept(SseStream.Event event, int count) {
    if (System.nanoTime() > deadlineNanos) return false;
    switch (String.valueOf(event.name())) {
      case "put", "delete" -> record(event);
      case "cancelled" -> {
        log.add("cancelled: " + event.data());
        if (event.id() != null) lastRevision = Long.parseLong(event.id());
        return false;
      }
      case "heartbeat" -> { }
      default -> failure = "unknown event " + event;
    }
    return !done() && failure == null && count < switchEvery;
  }

  private void record(SseStream.Event event) {
    JsonObject data;
    try (JsonReader reader = Json.createReader(new StringReader(event.data()))) {
      data = reader.readObject();
    }
    long revision = data.getJsonNumber("revision").longValue();
    if (!String.valueOf(revision).equals(event.id())) failure = "id " + event.id() + " but data " + event.data();
    String value = data.isNull("value") ? null : data.getString("value");
    if ("delete".equals(event.name()) != (value == null)) failure = "event name does not match data: " + event;
    changes.add(new Change(revision, data.getString("key"), value));
    lastRevision = revision;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " (last " + lastRevision + ", " + changes.size() + " changes, log " + log() + ")";
  }
}
