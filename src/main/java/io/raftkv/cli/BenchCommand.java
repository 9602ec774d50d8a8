package io.raftkv.cli;

import jakarta.json.Json;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** bench: a small PUT (or GET) load with a live progress line on stderr and a latency summary. */
@Command(name = "bench", description = "A small load: N requests from C threads; prints progress and latency percentiles.")
final class BenchCommand extends CliCommand {
  static final int MAX_REQUESTS = 1_000_000;

  @Option(names = {"-n", "--requests"}, defaultValue = "1000", description = "requests in all (default ${DEFAULT-VALUE}, at most 1000000)")
  int requests;

  @Option(names = {"-c", "--clients"}, defaultValue = "4", description = "concurrent clients (default ${DEFAULT-VALUE}, at most 256)")
  int clients;

  @Option(names = "--value-size", defaultValue = "256", description = "value bytes (default ${DEFAULT-VALUE})")
  int valueSize;

  @Option(names = "--op", defaultValue = "put", description = "put or get (default ${DEFAULT-VALUE})")
  String op;

  @Option(names = "--keys", defaultValue = "1000", description = "distinct keys bench-0..N-1 (default ${DEFAULT-VALUE})")
  int keys;

  @Override
  public Integer call() throws InterruptedException {
    if (requests < 1 || requests > MAX_REQUESTS || clients < 1 || clients > 256 || keys < 1 || valueSize < 0) {
      throw new CliException(ExitCodes.USAGE, "bench: -n 1..1000000, -c 1..256, --keys >= 1, --value-size >= 0");
    }
    if (!op.equals("put") && !op.equals("get")) {
      throw new CliException(ExitCodes.USAGE, "bench: --op must be put or get");
    }
    NodeClient client = client();
    String body = Output.json(Json.createObjectBuilder().add("value", "x".repeat(valueSize)).build());
    long[] latencyNanos = new long[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> runClient(client, body, next, failed, latencyNanos));
    }
    pool.shutdown();
    PrintWriter err = spec.commandLine().getErr();
    while (!pool.awaitTermination(250, TimeUnit.MILLISECONDS)) {
      progress(err, Math.min(next.get(), requests), failed.get(), start);
    }
    progress(err, requests, failed.get(), start);
    err.println();
    printSummary(latencyNanos, failed.get(), System.nanoTime() - start);
    return failed.get() == 0 ? ExitCodes.OK : ExitCodes.SERVER_ERROR;
  }

  private void runClient(NodeClient client, String body, AtomicInteger next, AtomicInteger failed, long[] latencyNanos) {
    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
      String path = KvCommands.keyPath("bench-" + (i % keys));
      long t0 = System.nanoTime();
      try {
        NodeClient.Reply reply =
            op.equals("put") ? client.send("PUT", path, body) : client.send("GET", path, null);
        if (!reply.ok() && !(op.equals("get") && reply.status() == 404)) {
          failed.incrementAndGet();
        }
      } catch (CliException e) {
        failed.incrementAndGet();
      }
      latencyNanos[i] = System.nanoTime() - t0;
    }
  }

  private void progress(PrintWriter err, int done, int failed, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    err.printf(Locale.ROOT, "\r%d/%d requests  %d failed  %.0f req/s   ", done, requests, failed, done / Math.max(seconds, 1e-9));
    err.flush();
  }

  private void printSummary(long[] latencyNanos, int failed, long elapsedNanos) {
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    var summary =
        Json.createObjectBuilder()
            .add("op", op)
            .add("requests", requests)
            .add("failed", failed)
            .add("seconds", elapsedNanos / 1e9)
            .add("requestsPerSecond", requests / (elapsedNanos / 1e9))
            .add("p50Ms", percentileMs(sorted, 50))
            .add("p90Ms", percentileMs(sorted, 90))
            .add("p99Ms", percentileMs(sorted, 99))
            .add("maxMs", sorted[sorted.length - 1] / 1e6)
            .build();
    if (output() == Output.json) {
      Output.print(out(), Output.json(summary));
      return;
    }
    Table table = new Table(java.util.List.of("FIELD", "VALUE"));
    summary.forEach((field, value) -> table.row(java.util.List.of(field, format(value))));
    Output.print(out(), table.render());
  }

  static double percentileMs(long[] sorted, double percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
  }

  private static String format(jakarta.json.JsonValue value) {
    if (value instanceof jakarta.json.JsonNumber n && !n.isIntegral()) {
      return String.format(Locale.ROOT, "%.2f", n.doubleValue());
    }
    return value instanceof jakarta.json.JsonString s ? s.getString() : value.toString();
  }
}
