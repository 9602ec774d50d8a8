// Watch fan-out benchmark (bin/raftkv-bench watch): WATCHERS streams spread over the given nodes, all
// watching one prefix, while WRITERS clients write through the leader for SECONDS, together at most RATE
// writes/s (0: as fast as each writer's acknowledgements allow). Each written value starts with the time
// it was sent ("t<nanoTime>/"), so the delivery latency is measured the same way for both systems: from
// the write's send to each watcher's receipt of its event (writers and watchers share this JVM's clock).
//   raftkv: PUT /kv/KEY and GET /watch?prefix=P (server-sent events)
//   etcd:   POST /v3/kv/put and POST /v3/watch (its JSON gateway; one JSON message per line), the
//           equivalent of `etcdctl watch --prefix P`
// Prints a human-readable summary and one machine-readable line:
//   RESULT|system|watchers|writers|rate|seconds|puts|puts/s|events|events/s|p50ms|p99ms|maxms|missing|samples
// JDK only, run as a single-file program:
//   java WatchFanout.java raftkv|etcd LEADER_URL SECONDS WATCHERS WRITERS RATE NODE_URL...
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class WatchFanout {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  static final Set<Long> ACKED = ConcurrentHashMap.newKeySet(); // revisions of acknowledged writes
  static final AtomicLong DELIVERED = new AtomicLong();
  static final AtomicLong FAILED_WRITES = new AtomicLong();
  static final int VALUE_BYTES = 200;
  static final Pattern STAMP = Pattern.compile("^t(\\d+)/");
  static final Pattern RAFTKV_EVENT = Pattern.compile("\"value\":\"(t\\d+)/[^\"]*\",\"revision\":(\\d+)");
  static final Pattern ETCD_EVENT = Pattern.compile("\"kv\":\\{[^}]*?\"mod_revision\":\"(\\d+)\"[^}]*?\"value\":\"([^\"]*)\"");
  static final Pattern ETCD_REVISION = Pattern.compile("\"revision\":\"(\\d+)\"");
  static final Pattern RAFTKV_REVISION = Pattern.compile("\"revision\":(\\d+)");
  static volatile boolean running = true;

  /** What one watcher saw: the revision and the latency (microseconds) of each event. */
  record Receipts(List<long[]> events) {}

  public static void main(String[] args) throws Exception {
    boolean etcd = switch (args[0]) {
      case "etcd" -> true;
      case "raftkv" -> false;
      default -> throw new IllegalArgumentException("system must be raftkv or etcd: " + args[0]);
    };
    URI leader = URI.create(args[1]);
    int seconds = Integer.parseInt(args[2]), watchers = Integer.parseInt(args[3]), writers = Integer.parseInt(args[4]);
    double rate = Double.parseDouble(args[5]);
    List<URI> nodes = Arrays.stream(args).skip(6).map(URI::create).toList();
    String prefix = "fan" + System.nanoTime() + "/";
    List<Receipts> receipts = new ArrayList<>();
    CountDownLatch opened = new CountDownLatch(watchers);
    for (int i = 0; i < watchers; i++) {
      Receipts mine = new Receipts(new ArrayList<>());
      receipts.add(mine);
      URI node = nodes.get(i % nodes.size());
      Thread t = new Thread(() -> watch(etcd, node, prefix, mine, opened), "watcher-" + i);
      t.setDaemon(true);
      t.start();
    }
    if (!opened.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("watch streams did not open within 60 s");
    long begin = System.nanoTime();
    long end = begin + seconds * 1_000_000_000L;
    long intervalNanos = rate <= 0 ? 0 : (long) (writers * 1e9 / rate);
    List<Thread> puts = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String key = prefix + "k" + w;
      long firstSend = begin + (intervalNanos * w) / writers; // writers spread evenly over one interval
      Thread t = new Thread(() -> write(etcd, leader, key, firstSend, intervalNanos, end), "writer-" + w);
      t.start();
      puts.add(t);
    }
    for (Thread t : puts) t.join();
    double writeSeconds = (System.nanoTime() - begin) / 1e9;
    Thread.sleep(2000); // let the last events arrive
    running = false;
    report(args[0], receipts, watchers, writers, rate, writeSeconds);
    System.exit(0); // the watch streams' threads are blocked in reads
  }

  // ------------------------------------------------------------------ watching

  static void watch(boolean etcd, URI node, String prefix, Receipts mine, CountDownLatch opened) {
    try {
      HttpResponse<InputStream> response = HTTP.send(etcd ? etcdWatch(node, prefix) : raftkvWatch(node, prefix),
          HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) throw new IllegalStateException(node + ": HTTP " + response.statusCode());
      BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
      boolean first = true;
      for (String line; running && (line = lines.readLine()) != null; ) {
        long now = System.nanoTime();
        if (first) {
          opened.countDown(); // raftkv: the stream's first line; etcd: {"result":{...,"created":true}}
          first = false;
        }
        int n = etcd ? etcdEvents(line, now, mine) : raftkvEvent(line, now, mine);
        if (n > 0) DELIVERED.addAndGet(n);
      }
    } catch (Exception e) {
      if (running) System.err.println("watcher on " + node + ": " + e);
    }
  }

  static HttpRequest raftkvWatch(URI node, String prefix) {
    return HttpRequest.newBuilder(node.resolve("/watch?prefix=" + prefix)).header("Accept", "text/event-stream")
        .GET().build();
  }

  /** etcd's gateway keeps the watch open after the request body ends (like `curl -N /v3/watch -d ...`). */
  static HttpRequest etcdWatch(URI node, String prefix) {
    byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
    end[end.length - 1]++; // range_end = the prefix with its last byte incremented: every key under it
    String body = "{\"create_request\":{\"key\":\"" + b64(prefix.getBytes(StandardCharsets.UTF_8))
        + "\",\"range_end\":\"" + b64(end) + "\"}}";
    return HttpRequest.newBuilder(node.resolve("/v3/watch")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** A raftkv {@code data:} line of a put event: {"key":..,"value":"t<nanos>/...","revision":N}. */
  static int raftkvEvent(String line, long now, Receipts mine) {
    if (!line.startsWith("data:")) return 0;
    Matcher m = RAFTKV_EVENT.matcher(line);
    if (!m.find()) return 0;
    record(mine, Long.parseLong(m.group(2)), Long.parseLong(m.group(1).substring(1)), now);
    return 1;
  }

  /** One etcd watch response: {"result":{"header":..,"events":[{"kv":{..,"mod_revision":"N",..,"value":"b64"}},..]}}. */
  static int etcdEvents(String line, long now, Receipts mine) {
    Matcher m = ETCD_EVENT.matcher(line);
    int n = 0;
    while (m.find()) {
      String value = new String(Base64.getDecoder().decode(m.group(2)), StandardCharsets.UTF_8);
      Matcher stamp = STAMP.matcher(value);
      if (!stamp.find()) continue;
      record(mine, Long.parseLong(m.group(1)), Long.parseLong(stamp.group(1)), now);
      n++;
    }
    return n;
  }

  static void record(Receipts mine, long revision, long sentNanos, long receivedNanos) {
    synchronized (mine) {
      mine.events().add(new long[] {revision, (receivedNanos - sentNanos) / 1000});
    }
  }

  // ------------------------------------------------------------------ writing

  static void write(boolean etcd, URI leader, String key, long firstSend, long intervalNanos, long end) {
    String padding = "x".repeat(VALUE_BYTES);
    long next = firstSend;
    while (true) {
      long now = System.nanoTime();
      if (intervalNanos > 0 && next - now > 0) {
        sleepNanos(next - now);
        now = System.nanoTime();
      }
      if (now - end >= 0) return;
      next = Math.max(next, now) + intervalNanos; // a writer that fell behind does not burst to catch up
      String value = ("t" + now + "/" + padding).substring(0, VALUE_BYTES);
      try {
        HttpResponse<String> r = HTTP.send(etcd ? etcdPut(leader, key, value) : raftkvPut(leader, key, value),
            HttpResponse.BodyHandlers.ofString());
        Matcher revision = (etcd ? ETCD_REVISION : RAFTKV_REVISION).matcher(r.body());
        if (r.statusCode() == 200 && revision.find()) {
          ACKED.add(Long.parseLong(revision.group(1)));
        } else {
          FAILED_WRITES.incrementAndGet();
        }
      } catch (Exception e) {
        FAILED_WRITES.incrementAndGet();
        System.err.println("put: " + e);
      }
    }
  }

  static HttpRequest raftkvPut(URI leader, String key, String value) {
    return HttpRequest.newBuilder(leader.resolve("/kv/" + key)).timeout(Duration.ofSeconds(5))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + value + "\"}")).build();
  }

  static HttpRequest etcdPut(URI leader, String key, String value) {
    String body = "{\"key\":\"" + b64(key.getBytes(StandardCharsets.UTF_8)) + "\",\"value\":\""
        + b64(value.getBytes(StandardCharsets.UTF_8)) + "\"}";
    return HttpRequest.newBuilder(leader.resolve("/v3/kv/put")).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ results

  static void report(String system, List<Receipts> receipts, int watchers, int writers, double rate, double seconds) {
    List<Long> lagsMicros = new ArrayList<>();
    long missing = 0;
    for (Receipts mine : receipts) {
      synchronized (mine) {
        Set<Long> seen = new HashSet<>();
        for (long[] event : mine.events()) {
          seen.add(event[0]);
          if (ACKED.contains(event[0])) lagsMicros.add(event[1]);
        }
        for (Long revision : ACKED) if (!seen.contains(revision)) missing++;
      }
    }
    lagsMicros.sort(null);
    int n = lagsMicros.size();
    double p50 = n == 0 ? Double.NaN : lagsMicros.get(n / 2) / 1000.0;
    double p99 = n == 0 ? Double.NaN : lagsMicros.get(Math.min(n - 1, (int) (n * 0.99))) / 1000.0;
    double max = n == 0 ? Double.NaN : lagsMicros.get(n - 1) / 1000.0;
    System.out.printf(Locale.ROOT, "%s: %d watchers, %d writers (rate %s), writes acknowledged %d (%.0f/s), failed %d,"
            + " events delivered %d (%.0f/s), acknowledged events not received %d%n", system, watchers, writers,
        rate <= 0 ? "unlimited" : String.format(Locale.ROOT, "%.0f/s", rate), ACKED.size(), ACKED.size() / seconds,
        FAILED_WRITES.get(), DELIVERED.get(), DELIVERED.get() / seconds, missing);
    System.out.printf(Locale.ROOT, "%s: latency write sent -> event received: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
        + " (%d samples)%n", system, p50, p99, max, n);
    System.out.printf(Locale.ROOT, "RESULT|%s|%d|%d|%.0f|%.1f|%d|%.0f|%d|%.0f|%.1f|%.1f|%.1f|%d|%d%n", system,
        watchers, writers, rate, seconds, ACKED.size(), ACKED.size() / seconds, DELIVERED.get(),
        DELIVERED.get() / seconds, p50, p99, max, missing, n);
  }
}
