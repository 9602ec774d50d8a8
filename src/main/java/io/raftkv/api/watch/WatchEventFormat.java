package io.raftkv.api.watch;

import io.raftkv.kv.watch.WatchEvent;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;

/**
 * The {@code data:} JSON of each server-sent event. A put is {@code {"key","value","revision"}}, a
 * delete {@code {"key","value":null,"revision"}} (plus {@code "expired":true} when the key's TTL ran
 * out); a cancellation names its reason and the revision to
 * resume from. One JSON provider, made once (a lookup per event costs a class-loader scan).
 */
final class WatchEventFormat {
  static final String PUT = "put";
  static final String DELETE = "delete";
  static final String CANCELLED = "cancelled";
  static final String HEARTBEAT = "heartbeat";

  private static final JsonProvider JSON = JsonProvider.provider();

  private WatchEventFormat() {}

  static String name(WatchEvent event) {
    return event.isDelete() ? DELETE : PUT;
  }

  static String data(WatchEvent event) {
    StringWriter out = new StringWriter(event.key().length() + 48);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject().write("key", event.key());
      if (event.isDelete()) g.writeNull("value");
      else g.write("value", event.value());
      g.write("revision", event.revision());
      if (event.expired()) g.write("expired", true);
      g.writeEnd();
    }
    return out.toString();
  }

  /** {@code resumeRevision}: the first revision not (fully) delivered; resume with fromRevision=it. */
  static String cancelled(String reason, long resumeRevision) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject().write("reason", reason).write("resumeRevision", resumeRevision).writeEnd();
    }
    return out.toString();
  }

  /** A heartbeat carries no information: it only proves the stream (and the node) is alive. */
  static final String HEARTBEAT_DATA = "{}";
}
