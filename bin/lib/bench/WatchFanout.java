// Watch fan-out benchmark (bin/raftkv-bench watch): WATCHERS server-sent-event streams spread over the
// given nodes, all watching one prefix, while WRITERS clients PUT through the leader for SECONDS. Prints
// events delivered per second (over all watchers) and the lag from each PUT's acknowledgement to each
// watcher's receipt of its event (p50/p99/max; negative: the event arrived before the acknowledgement).
// JDK only, run as a single-file program: java WatchFanout.java LEADER_URL SECONDS WATCHERS WRITERS NODE_URL...
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

public class WatchFanout {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  static final Map<Long, Long> ACKED = new ConcurrentHashMap<>(); // revision -> ack nanoTime
  static final AtomicLong DELIVERED = new AtomicLong();
  static volatile boolean running = true;

  public static void main(String[] args) throws Exception {
    URI leader = URI.create(args[0]);
    int seconds = Integer.parseInt(args[1]), watchers = Integer.parseInt(args[2]), writers = Integer.parseInt(args[3]);
    List<URI> nodes = Arrays.stream(args).skip(4).map(URI::create).toList();
    String prefix = "fan" + System.nanoTime() + "/";
    List<List<long[]>> receipts = new ArrayList<>(); // per watcher: {revision, nanoTime}
    CountDownLatch opened = new CountDownLatch(watchers);
    for (int i = 0; i < watchers; i++) {
      List<long[]> mine = new ArrayList<>();
      receipts.add(mine);
      URI uri = nodes.get(i % nodes.size()).resolve("/watch?prefix=" + prefix);
      Thread t = new Thread(() -> watch(uri, mine, opened), "watcher-" + i);
      t.setDaemon(true);
      t.start();
    }
    if (!opened.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("streams did not open");
    long begin = System.nanoTime();
    long end = begin + seconds * 1_000_000_000L;
    List<Thread> puts = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      Thread t = new Thread(() -> write(leader, prefix + "k" + id, end));
      t.start();
      puts.add(t);
    }
    for (Thread t : puts) t.join();
    Thread.sleep(2000); // let the last events arrive
    running = false;
    report(receipts, (System.nanoTime() - begin) / 1e9 - 2, watchers);
  }

  static void watch(URI uri, List<long[]> mine, CountDownLatch opened) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
      HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) throw new IllegalStateException(uri + ": HTTP " + response.statusCode());
      BufferedReader lines = new BufferedReader(new InputStreamReader(response.body()));
      boolean first = true;
      for (String line; running && (line = lines.readLine()) != null; ) {
        if (first) {
          opened.countDown();
          first = false;
        }
        if (line.startsWith("id:")) {
          long now = System.nanoTime();
          synchronized (mine) {
            mine.add(new long[] {Long.parseLong(line.substring(3).trim()), now});
          }
          DELIVERED.incrementAndGet();
        }
      }
    } catch (Exception e) {
      if (running) System.err.println("watcher on " + uri + ": " + e);
    }
  }

  static void write(URI leader, String key, long end) {
    HttpRequest.Builder put = HttpRequest.newBuilder(leader.resolve("/kv/" + key)).timeout(Duration.ofSeconds(5));
    String body = "{\"value\":\"" + "x".repeat(200) + "\"}";
    while (System.nanoTime() < end) {
      try {
        HttpResponse<String> r = HTTP.send(put.PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        long now = System.nanoTime();
        if (r.statusCode() != 200) continue;
        String b = r.body();
        int at = b.lastIndexOf("\"revision\":") + 11;
        int stop = at;
        while (stop < b.length() && Character.isDigit(b.charAt(stop))) stop++;
        ACKED.put(Long.parseLong(b.substring(at, stop)), now);
      } catch (Exception e) {
        System.err.println("put: " + e);
      }
    }
  }

  static void report(List<List<long[]>> receipts, double seconds, int watchers) {
    List<Long> lagsMicros = new ArrayList<>();
    long missing = 0;
    for (List<long[]> mine : receipts) {
      synchronized (mine) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long[] r : mine) {
          seen.add(r[0]);
          Long acked = ACKED.get(r[0]);
          if (acked != null) lagsMicros.add((r[1] - acked) / 1000);
        }
        for (Long rev : ACKED.keySet()) if (!seen.contains(rev)) missing++;
      }
    }
    lagsMicros.sort(null);
    int n = lagsMicros.size();
    System.out.printf("watchers %d, PUTs acknowledged %d (%.0f/s), events delivered %d (%.0f/s), acknowledged events not received %d%n",
        watchers, ACKED.size(), ACKED.size() / seconds, DELIVERED.get(), DELIVERED.get() / seconds, missing);
    if (n > 0) {
      System.out.printf("lag PUT ack -> event: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d samples)%n",
          lagsMicros.get(n / 2) / 1000.0, lagsMicros.get(Math.min(n - 1, (int) (n * 0.99))) / 1000.0,
          lagsMicros.get(n - 1) / 1000.0, n);
    }
  }
}
