package io.raftkv.api.kv;

import io.raftkv.api.error.ErrorBody;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The JSON bodies {@link KvServlet} answers, written with JSON-P's generator: byte for byte what JSON-B
 * makes of the same records through JAX-RS ({@code KvJsonTest} compares them), without the per-call
 * reflection and provider lookups. Members in the records' {@code @JsonbPropertyOrder}; null members
 * left out, as JSON-B does.
 */
final class KvJson {

  /** Created once: {@code Json.createGenerator} looks the provider up through the class loader each time. */
  private static final JsonGeneratorFactory GENERATORS = JsonProvider.provider().createGeneratorFactory(Map.of());

  private KvJson() {}

  static byte[] entry(EntryResponse entry) {
    return write(out -> writeEntry(out, entry));
  }

  static byte[] deleted(DeleteResponse deleted) {
    return write(out -> out.write("key", deleted.key()).write("deleted", deleted.deleted())
        .write("revision", deleted.revision()));
  }

  static byte[] error(ErrorBody error) {
    return write(out -> {
      writeIfPresent(out, "error", error.error());
      writeIfPresent(out, "detail", error.detail());
      writeIfPresent(out, "key", error.key());
      if (error.current() != null) {
        out.writeStartObject("current");
        writeEntry(out, error.current());
        out.writeEnd();
      }
      if (error.oldestRevision() != null) {
        out.write("oldestRevision", error.oldestRevision());
      }
    });
  }

  private static void writeEntry(JsonGenerator out, EntryResponse entry) {
    writeIfPresent(out, "key", entry.key());
    writeIfPresent(out, "value", entry.value());
    out.write("revision", entry.revision()).write("createRevision", entry.createRevision())
        .write("version", entry.version());
    if (entry.ttl() != null) out.write("ttl", entry.ttl());
  }

  private static void writeIfPresent(JsonGenerator out, String name, String value) {
    if (value != null) {
      out.write(name, value);
    }
  }

  private static byte[] write(Consumer<JsonGenerator> members) {
    // A Writer, not an OutputStream: given bytes, the generator wraps them in an OutputStreamWriter
    // with an 8 KiB encoding buffer per response (docs/benchmarks.md, ninth session).
    StringWriter text = new StringWriter(256);
    try (JsonGenerator out = GENERATORS.createGenerator(text)) {
      out.writeStartObject();
      members.accept(out);
      out.writeEnd();
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
