package io.raftkv.api.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.error.ErrorBody;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet's bodies must be byte for byte what JSON-B writes for the same records through JAX-RS. */
class KvJsonTest {

  private static Jsonb jsonb;

  @BeforeAll
  static void jsonb() {
    jsonb = JsonbBuilder.create();
  }

  @AfterAll
  static void close() throws Exception {
    jsonb.close();
  }

  @Test
  void entriesDeletesAndErrorsMatchJsonBForRandomText() {
    Random random = new Random(20261129L);
    for (int i = 0; i < 2_000; i++) {
      EntryResponse entry = new EntryResponse(text(random), text(random), random.nextLong() >>> 1,
          random.nextInt(1000), random.nextInt(1000), random.nextBoolean() ? null : (long) random.nextInt(31_536_000) + 1);
      assertSame(KvJson.entry(entry), entry);
      DeleteResponse deleted = new DeleteResponse(text(random), random.nextBoolean(), random.nextLong() >>> 1);
      assertSame(KvJson.deleted(deleted), deleted);
      ErrorBody error = new ErrorBody(text(random), random.nextBoolean() ? null : text(random),
          random.nextBoolean() ? null : text(random), random.nextBoolean() ? null : entry,
          random.nextBoolean() ? null : (long) random.nextInt(5000));
      assertSame(KvJson.error(error), error);
    }
  }

  @Test
  void anEntryHasTheDocumentedMembersInOrder() {
    assertThat(new String(KvJson.entry(new EntryResponse("k", "v\"\n", 7, 3, 2)), StandardCharsets.UTF_8))
        .isEqualTo("{\"key\":\"k\",\"value\":\"v\\\"\\n\",\"revision\":7,\"createRevision\":3,\"version\":2}");
  }

  private static void assertSame(byte[] written, Object record) {
    assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(jsonb.toJson(record));
  }

  /** Printable ASCII, JSON's escapes, control characters, non-ASCII and surrogate pairs. */
  private static String text(Random random) {
    String alphabet = "ab/\"\\\n\t\u0000\u001f\u007f\u00e9\u4e2d\u2028";
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      if (random.nextInt(10) == 0) {
        out.appendCodePoint(0x1F600 + random.nextInt(50));
      } else {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return out.toString();
  }
}
