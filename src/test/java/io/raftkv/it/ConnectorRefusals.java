package io.raftkv.it;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The requests that Payara's connector refuses before any web application sees them, so that no code
 * of the store can shape the answer (docs/api.md, "Answers that are the container's"). It decodes
 * the path strictly as UTF-8 and refuses NUL and backslash: a {@code 400} with an empty body.
 * ({@code TRACE}, which the listener used to refuse with an empty {@code 405}, reaches the store since
 * the listener's trace-enabled is on: server-config/post-boot.txt, api.container.RequestGuard.)
 * The fuzz test holds the container to exactly these answers for exactly these requests: every other
 * error must be the store's JSON.
 */
final class ConnectorRefusals {

  private ConnectorRefusals() {}

  /** True when the connector answers this well-formed origin-form target with its empty 400. */
  static boolean refusesTarget(String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(percentDecode(path))).toString();
    } catch (CharacterCodingException notUtf8) {
      return true; // overlong forms (%C0%AF), encoded surrogates (%ED%A0%80), cut sequences (%E2%82)
    }
    return decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0;
  }

  /**
   * A path with a segment starting with a dot ("..", ".", "..."): Grizzly and then the connector each
   * normalize it, and which of them refuses it (an empty 400, or the empty 200 of an exception the
   * connector does not catch, whose stack trace the store keeps out of the log) or lets it reach the
   * store depends on the neighbouring segments (a
   * removed segment takes a bad escape with it: {@code /kv/%2F%FFfz/..} reaches the store). For
   * these the fuzz test accepts either the store's JSON or one of those two empty answers.
   */
  static boolean hasDotSegment(String target) {
    int query = target.indexOf('?');
    String path = (query < 0 ? target : target.substring(0, query))
        .replaceAll("%2[Ff]", "/").replaceAll("%2[Ee]", "."); // an encoded slash or dot counts too
    return path.contains("/.");
  }

  private static byte[] percentDecode(String path) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' && i + 2 < path.length()) {
        out.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c); // a valid target holds only ASCII outside its escapes
      }
    }
    return out.toByteArray();
  }
}
