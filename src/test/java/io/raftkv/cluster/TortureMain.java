package io.raftkv.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/raftkv-torture SECONDS [flags]}: a soak run of a local cluster under a random nemesis
 * ({@link TortureNemesis}, or with {@code --mode=crash} the crash/restart test of
 * {@link CrashRestartNemesis}), with clients recording every operation, then the history checked
 * for linearizability and every acknowledged write for presence. Prints availability per fault kind
 * and writes {@code summary.txt}, {@code timeline.csv}, {@code timeline.svg}, {@code history.tsv}
 * and the node logs to the output directory.
 *
 * <p>Exit status: 0 passed; 1 a linearizability violation or a lost acknowledged write; 2 bad
 * arguments or the cluster could not be set up; 3 the checker ran out of budget (inconclusive).
 */
public final class TortureMain {
  static final String CHAIN = "RAFTKV-TORTURE";

  record Args(int seconds, int nodes, long seed, Path out, int clients, int sharedKeys, String mode,
      List<String> faults, double skew, boolean lease) {}

  private TortureMain() {}

  public static void main(String[] argv) {
    Args args;
    try {
      args = parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println("raftkv-torture: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = run(args);
    } catch (IOException | RuntimeException | AssertionError e) {
      System.err.println("raftkv-torture: run failed: " + e);
      status = 2;
    }
    System.exit(status);
  }

  static Args parse(String[] argv) {
    if (argv.length < 1 || !argv[0].matches("[1-9][0-9]*")) {
      throw new IllegalArgumentException("usage: bin/raftkv-torture SECONDS [--nodes=3|5] [--seed=N] [--out=DIR] "
          + "[--clients=8] [--keys=8] [--mode=mixed|crash] [--faults=kill9,pause,...] [--skew=0.05] [--no-lease]");
    }
    int seconds = Integer.parseInt(argv[0]);
    int nodes = 3;
    long seed = System.currentTimeMillis();
    Path out = null;
    int clients = 8;
    int keys = 8;
    String mode = "mixed";
    List<String> faults = TortureNemesis.KINDS;
    double skew = 0.05;
    boolean lease = true;
    for (String a : Arrays.asList(argv).subList(1, argv.length)) {
      String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
      if (a.startsWith("--nodes=") && (v.equals("3") || v.equals("5"))) nodes = Integer.parseInt(v);
      else if (a.startsWith("--seed=")) seed = Long.parseLong(v);
      else if (a.startsWith("--out=")) out = Path.of(v);
      else if (a.startsWith("--clients=")) clients = Integer.parseInt(v);
      else if (a.startsWith("--keys=")) keys = Integer.parseInt(v);
      else if (a.startsWith("--mode=") && (v.equals("mixed") || v.equals("crash"))) mode = v;
      else if (a.startsWith("--faults=")) faults = List.of(v.split(","));
      else if (a.startsWith("--skew=")) skew = Double.parseDouble(v);
      else if (a.equals("--no-lease")) lease = false;
      else throw new IllegalArgumentException("unknown or bad argument " + a);
    }
    for (String f : faults) {
      if (!TortureNemesis.KINDS.contains(f)) throw new IllegalArgumentException("unknown fault " + f + " (" + TortureNemesis.KINDS + ")");
    }
    if (out == null) out = Path.of("target", "torture", "run-" + seed);
    return new Args(seconds, nodes, seed, out.toAbsolutePath(), clients, keys, mode, faults, skew, lease);
  }

  static int run(Args args) throws IOException {
    System.out.printf("[torture] %d s, %d nodes, mode %s, seed %d, faults %s, output %s%n", args.seconds(),
        args.nodes(), args.mode(), args.seed(), args.faults(), args.out());
    Path skewDir = args.out().resolveSibling(args.out().getFileName() + "-clock");
    Files.createDirectories(skewDir);
    Path javaWrapper = writeJavaWrapper(skewDir);
    List<String> extra = args.lease() ? List.of("-Draftkv.read.lease=true") : List.of();
    ClusterHarness.Options options = new ClusterHarness.Options(CHAIN, extra, Map.of("RAFTKV_JAVA", javaWrapper.toString()));
    long began = System.nanoTime();
    try (ClusterHarness cluster = ClusterHarness.start(args.out(), args.nodes(), options)) {
      System.out.printf("[torture] cluster up in %d s%n", (System.nanoTime() - began) / 1_000_000_000);
      HistoryRecorder history = new HistoryRecorder();
      FaultLog log = new FaultLog();
      TortureClients.Mix mix = args.lease()
          ? new TortureClients.Mix(args.sharedKeys(), 15, 30, 25, 10, 20)
          : new TortureClients.Mix(args.sharedKeys(), 15, 30, 35, 0, 20);
      Duration soak = Duration.ofSeconds(args.seconds());
      TortureClients clients = TortureClients.start(() -> cluster.members().stream().map(cluster::uri).toList(),
          mix, history, args.clients(), soak.plusSeconds(30), args.seed());
      TortureNemesis nemesis = new TortureNemesis(cluster, log, args.seed(), args.faults(), skewDir, args.skew());
      try {
        if (args.mode().equals("crash")) {
          new CrashRestartNemesis(cluster, log, args.seed(), 30).run(soak);
        } else {
          nemesis.run(soak);
        }
      } finally {
        clients.close();
        log.closeAll();
        nemesis.recover();
      }
      return finish(args, cluster, history, log, clients);
    }
  }

  private static int finish(Args args, ClusterHarness cluster, HistoryRecorder history, FaultLog log,
      TortureClients clients) throws IOException {
    TortureChecks.Result result = new TortureChecks().run(cluster, history, clients.sharedKeys());
    HistoryFile.save(history.operations(), args.out().resolve("history.tsv"));
    TortureReport report = new TortureReport(clients.attempted(), log);
    report.writeTimeline(args.out());
    StringBuilder summary = new StringBuilder(String.format("seed %d, %d s, %d nodes, mode %s%n", args.seed(),
        args.seconds(), args.nodes(), args.mode()));
    summary.append(report.text());
    summary.append("recorded attempts (history): ").append(history.summary()).append('\n');
    summary.append("linearizable: ").append(result.verdict().linearizable())
        .append(result.verdict().exhausted() ? " (checker budget exhausted: inconclusive)" : "").append('\n');
    summary.append("acknowledged fresh-key writes checked: ").append(result.acknowledgedFresh())
        .append(", lost: ").append(result.lost().size()).append('\n');
    result.lost().stream().limit(20).forEach(l -> summary.append("  lost ").append(l).append('\n'));
    log.errors().forEach(e -> summary.append("nemesis error: ").append(e).append('\n'));
    if (!result.verdict().linearizable()) {
      summary.append(result.verdict().explanation()).append('\n');
      String key = HistoryDump.failingKey(result.verdict().explanation());
      if (key != null) {
        summary.append("history of ").append(key).append(": ")
            .append(HistoryDump.write(history.operations(), key, args.out().resolve("violation-" + key + ".txt")))
            .append('\n');
      }
    }
    Files.writeString(args.out().resolve("summary.txt"), summary);
    System.out.print(summary);
    System.out.println("[torture] output in " + args.out());
    if (result.verdict().exhausted() && result.verdict().linearizable() && result.lost().isEmpty()) return 3;
    return result.passed() ? 0 : 1;
  }

  /**
   * The java the nodes run: plain {@code java}, or {@code java} under libfaketime when the node's skew
   * file (named after {@code -Draftkv.node.id}) holds a faketime spec. Preloading the library directly
   * (not the faketime launcher, which forks) keeps the pid the JVM's.
   */
  private static Path writeJavaWrapper(Path dir) throws IOException {
    Path wrapper = dir.resolve("java");
    String script = """
        #!/bin/sh
        # Written by raftkv-torture: runs java, under libfaketime when skew-<node id> says so.
        id=""
        for a in "$@"; do case "$a" in -Draftkv.node.id=*) id="${a#*=}" ;; esac; done
        skew_file="$(dirname "$0")/skew-$id"
        if [ -n "$id" ] && [ -s "$skew_file" ]; then
          lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
          [ -n "$lib" ] || { echo "raftkv-torture: libfaketime not found (apt-get install faketime)" >&2; exit 1; }
          export LD_PRELOAD="$lib" FAKETIME="$(cat "$skew_file")" FAKETIME_DONT_RESET=1
        fi
        exec java "$@"
        """;
    Files.writeString(wrapper, script);
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return wrapper;
  }
}
