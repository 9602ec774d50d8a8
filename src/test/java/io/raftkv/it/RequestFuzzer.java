package io.raftkv.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates random HTTP requests as a careless or hostile user would send them: any method, paths
 * with broken percent-encodings, odd headers and content types, bodies that are random, malformed,
 * oversized, cut short or trickled in. Request {@code i} of a seed depends only on (seed, i), so a
 * failure is replayed with the same seed (and {@code raftkv.fuzz.from=i}).
 *
 * <p>Two things it never sends, so that "the data is unchanged by every rejected request" can be
 * checked: a key under {@link #SENTINEL_PREFIX}, and a valid membership change or leadership transfer
 * (ids below 1000 are never named, so the single-node cluster keeps its only voter).
 */
final class RequestFuzzer {

  static final String SENTINEL_PREFIX = "sentinel-";

  private static final String[] METHODS = {"GET", "GET", "PUT", "PUT", "PUT", "DELETE", "POST", "PATCH",
      "HEAD", "OPTIONS", "TRACE", "FOO", "put", "CONNECT"};
  private static final String[] PATH_PREFIXES = {"/kv/", "/kv/", "/kv/", "/kv", "/kv//", "/cluster",
      "/cluster/", "/cluster/members/", "/cluster/members", "/cluster/leader", "/health", "/metrics", "/",
      "/kv/%2F", "//kv/", "/KV/", "/kv/../cluster", "/api/kv/", ""};
  private static final String[] PATH_PIECES = {"fz/a", "fz/b", "fz/" , "x", "%41", "%", "%G1", "%2", "%ED%A0%80",
      "%F0%9F%98%80", "%00", "%2F", "%C0%AF", "%FF", "%E2%82", "..", ".", "//", "%25", "+", " ", "%20",
      "99999999999999999999", "-1", "0", "1e3", "0x10", "1000", "12345", ";a=b", "#frag", "~", "\u00e9",
      "\t", "\\", "|", "{", "}", "[", "]", "<script>", "%%", "?", "&"};
  private static final String[] QUERIES = {"", "", "", "?consistency=linearizable", "?consistency=lease",
      "?consistency=stale", "?consistency=", "?consistency=LINEARIZABLE", "?consistency=%ZZ", "?consistency",
      "?consistency=a&consistency=b", "?x=%", "?&&", "?=", "?consistency=%ED%A0%80"};
  private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
      "application/x-www-form-urlencoded", "text/plain", "application/xml", "multipart/form-data; boundary=x",
      "application/json; charset=latin1", "application/octet-stream", "*/*", "garbage", "application/",
      ";;;", "application/json; charset=\"", "text/html; charset=utf-16"};
  private static final String[] ACCEPTS = {"application/json", "text/html", "*/*", "application/xml",
      "text/plain", "garbage", "application/json;q=0", "image/png, text/*;q=0.5"};
  private static final String[] JSON_BODIES = {"{\"value\":\"v\"}", "{\"value\":\"\\ud800\"}",
      "{\"value\":\"a\\udc00b\"}", "{\"value\":\"x\",\"prevValue\":\"\\ud83d\"}", "{\"value\":1}",
      "{\"value\":null}", "{\"value\":\"v\",\"prevRevision\":-1}", "{\"value\":\"v\",\"prevRevision\":1e400}",
      "{\"value\":\"v\",\"prevRevision\":99999999999999999999}", "{\"value\":\"v\",\"prevExist\":true}",
      "{\"value\":\"v\",\"prevExist\":\"no\"}", "{\"value\":\"v\",\"prevValue\":\"a\",\"prevRevision\":2}",
      "{\"valeu\":\"v\"}", "{\"value\":\"v\"", "{\"value\":\"v\"}}", "[]", "\"value\"", "null", "{}", "",
      "   ", "{\"value\":\"\\u0000\"}", "{\"value\":\"\\x\"}", "{\"id\":0,\"peer\":\"h:1\"}",
      "{\"id\":99999999999999999999,\"peer\":\"h:1\"}", "{\"id\":1000,\"peer\":\"bad\"}",
      "{\"id\":1001,\"peer\":\"h:99999\"}", "{\"id\":1002,\"peer\":\"h:1\",\"http\":\"\\ud800:1\"}",
      "{\"id\":\"5\",\"peer\":\"h:1\"}", "{\"to\":-1}", "{\"to\":\"x\"}", "{\"to\":1.5}", "{\"\\ud800\":1}",
      "{\"value\":\"v\",\"\\udc00\":2}", "{\"value\":\"" + "\\" + "\"}", "\u00ef\u00bb\u00bf{\"value\":\"bom\"}",
      "{\"a\":" .repeat(200), "{\"value\":\"v\"}\u0000", "value=v", "{'value':'v'}"};
  private static final String[] TXN_METHODS = {"POST", "POST", "POST", "PUT", "GET", "DELETE"};
  private static final String[] TXN_PATHS = {"/txn", "/txn", "/txn/", "/txn/x", "/TXN"};
  private static final String[] TXN_BODIES = {
      "{\"compare\":[{\"key\":\"fz/a\",\"revision\":0}],\"success\":[{\"op\":\"put\",\"key\":\"fz/a\",\"value\":\"t\"}],"
          + "\"failure\":[{\"op\":\"get\",\"key\":\"fz/a\"}]}",
      "{\"success\":[{\"op\":\"delete\",\"key\":\"fz/b\"},{\"op\":\"get\",\"key\":\"fz/b\"}]}", "{}", "[]", "",
      "{\"compare\":[{\"key\":\"fz/a\"}]}", "{\"compare\":[{\"key\":\"fz/a\",\"value\":\"x\",\"version\":1}]}",
      "{\"compare\":{}}", "{\"success\":[null]}", "{\"success\":[{\"op\":\"put\",\"key\":\"fz/a\"}]}",
      "{\"success\":[{\"op\":\"PUT\",\"key\":\"fz/a\",\"value\":\"v\"}]}", "{\"succes\":[]}",
      "{\"success\":[{\"op\":\"put\",\"key\":\"fz/a\",\"value\":\"1\"},{\"op\":\"put\",\"key\":\"fz/a\",\"value\":\"2\"}]}",
      "{\"compare\":[{\"key\":\"\\ud800\",\"exists\":true}]}", "{\"compare\":[{\"key\":\"fz/a\",\"createRevision\":-5}]}",
      "{\"compare\":[{\"key\":\"fz/a\",\"version\":1.5}]}", "{\"success\":[{\"op\":\"get\",\"key\":\"\"}]}",
      "{\"failure\":[" + "{\"op\":\"get\",\"key\":\"fz/a\"},".repeat(140) + "{\"op\":\"get\",\"key\":\"fz/a\"}]}"};
  private static final String[] IDEMPOTENCY_KEYS = {"fuzz-1", "fuzz-2", "", "two words", "k".repeat(129), "\u00e9"};

  private final long seed;

  RequestFuzzer(long seed) {
    this.seed = seed;
  }

  RawHttp.Request request(long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    String method = pick(random, METHODS);
    String target = path(random) + pick(random, QUERIES);
    List<String> headers = headers(random);
    byte[] body = body(random, method);
    // Transactions and idempotency keys come from a stream of their own, so that every other request
    // is exactly what it was before /txn existed (a seed replays the same campaign).
    SplittableRandom txn = new SplittableRandom((seed ^ 0x74786EL) * 0x9E3779B97F4A7C15L + index);
    if (txn.nextInt(8) == 0) {
      method = pick(txn, TXN_METHODS);
      target = pick(txn, TXN_PATHS);
      body = pick(txn, TXN_BODIES).getBytes(StandardCharsets.UTF_8);
    }
    if (txn.nextInt(8) == 0) headers.add("Idempotency-Key: " + pick(txn, IDEMPOTENCY_KEYS));
    boolean declare = body.length > 0 ? random.nextInt(10) > 0 : random.nextInt(4) == 0;
    long delta = random.nextInt(25) == 0 ? random.nextInt(1, 64) : 0; // declared longer than sent
    int pieces = random.nextInt(60) == 0 ? random.nextInt(2, 6) : 1;
    int pause = pieces > 1 ? random.nextInt(20, 150) : 0; // a slow body: ~0.1-0.6 s
    boolean cutShort = declare && delta > 0;
    if (!declare && body.length > 0 && random.nextBoolean()) {
      headers.add("Transfer-Encoding: chunked");
      boolean broken = random.nextInt(3) == 0;
      body = chunked(body, broken, random.nextBoolean());
      cutShort = broken;
    }
    return new RawHttp.Request(method, target, headers, body, declare, delta, pieces, pause, cutShort,
        !cutShort && isValidTarget(target) && headers.stream().allMatch(RequestFuzzer::isPrintableAscii));
  }

  /**
   * An origin-form request target of RFC 3986: only unreserved, sub-delims, ":@/?" and "%" followed by
   * two hex digits. Anything else is refused by the HTTP parser before the store sees it.
   */
  static boolean isValidTarget(String target) {
    if (!target.startsWith("/")) return false;
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= target.length() || !isHex(target.charAt(i + 1)) || !isHex(target.charAt(i + 2))) return false;
        i += 2;
      } else if (!(Character.isLetterOrDigit(c) && c < 0x80) && "-._~!$&'()*+,;=:@/?".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Header values of printable ASCII only. RFC 9110 still tolerates obs-text (bytes 0x80-0xFF), but
   * Grizzly's parser refuses it with an empty 400, like any other bytes that are not HTTP.
   */
  static boolean isPrintableAscii(String header) {
    return header.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String path(SplittableRandom random) {
    StringBuilder path = new StringBuilder(pick(random, PATH_PREFIXES));
    int pieces = random.nextInt(4);
    for (int i = 0; i < pieces; i++) {
      path.append(pick(random, PATH_PIECES));
    }
    if (random.nextInt(30) == 0) {
      path.append("k".repeat(random.nextInt(1000, 9000))); // an over-long key (limit 4096 bytes)
    }
    return path.toString();
  }

  private static List<String> headers(SplittableRandom random) {
    List<String> headers = new ArrayList<>();
    if (random.nextInt(5) > 0) headers.add("Content-Type: " + pick(random, CONTENT_TYPES));
    if (random.nextInt(3) == 0) headers.add("Accept: " + pick(random, ACCEPTS));
    if (random.nextInt(8) == 0) headers.add("X-Fuzz: " + randomText(random, 40));
    if (random.nextInt(20) == 0) headers.add("Content-Encoding: gzip");
    if (random.nextInt(20) == 0) headers.add("Expect: 100-continue");
    if (random.nextInt(30) == 0) headers.add("X-Long: " + "h".repeat(random.nextInt(100, 6000)));
    return headers;
  }

  private static byte[] body(SplittableRandom random, String method) {
    int kind = random.nextInt(100);
    if (kind < 10 && !method.equals("PUT") && !method.equals("POST")) return new byte[0];
    if (kind < 55) return pick(random, JSON_BODIES).getBytes(StandardCharsets.UTF_8);
    if (kind < 70) return ("{\"value\":\"" + randomText(random, 64) + "\"}").getBytes(StandardCharsets.UTF_8);
    if (kind < 85) {
      byte[] bytes = new byte[random.nextInt(0, 300)];
      random.nextBytes(bytes);
      return bytes;
    }
    if (kind < 98) {
      String json = pick(random, JSON_BODIES);
      return json.substring(0, random.nextInt(json.length() + 1)).getBytes(StandardCharsets.UTF_8);
    }
    // Oversized: above the 1.5 MiB body limit (occasionally above the container's 2 MiB post limit).
    int size = random.nextInt(1_600_000, 2_300_000);
    return ("{\"value\":\"" + "v".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] chunked(byte[] body, boolean broken, boolean badSize) {
    StringBuilder out = new StringBuilder();
    String text = new String(body, StandardCharsets.ISO_8859_1);
    out.append(Integer.toHexString(text.length())).append("\r\n").append(text).append("\r\n");
    if (!broken) {
      out.append("0\r\n\r\n");
    } else {
      out.append(badSize ? "zz\r\n" : "5\r\nab"); // a malformed or cut-short chunk
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String randomText(SplittableRandom random, int maxChars) {
    StringBuilder text = new StringBuilder();
    int n = random.nextInt(maxChars + 1);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      char c = kind < 6 ? (char) random.nextInt(0x20, 0x7f)
          : kind < 8 ? (char) random.nextInt(0xa0, 0x3000) : (char) random.nextInt(0x20, 0x7f);
      if (c == '"' || c == '\\') c = 'q';
      text.append(c);
    }
    return text.toString();
  }

  private static String pick(SplittableRandom random, String[] options) {
    return options[random.nextInt(options.length)];
  }
}
