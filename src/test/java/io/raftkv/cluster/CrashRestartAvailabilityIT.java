package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8's crash/restart test, in-project: 8 clients doing put, linearizable get and delete on 4
 * keys (plus one client putting fresh keys, each checked at the end) against a 3-node cluster while
 * every 2–6 s a random running node is killed with -9 and restarted 1–3 s later, or paused with
 * SIGSTOP for 1–3 s ({@link CrashRestartNemesis}). Afterwards the history must be linearizable, every
 * acknowledged write present, and the share of the 8 clients' operations that succeeded (a client
 * tries the next node when one refuses or answers 503) at least {@link #AVAILABILITY_FLOOR}.
 *
 * <p>The goal is 85%; measured 89.7–98.7% (docs/torture.md). The floor is below every run
 * measured and above every run before the early Raft start and WriteRouter (45–73%), so a return of
 * either problem fails the build. Override: {@code -Draftkv.it.availabilityFloor=0.85}; duration of
 * the fault phase: {@code -Draftkv.it.crashSeconds} (default 90).
 */
class CrashRestartAvailabilityIT {
  /** Share of operations that must succeed under the crash/restart nemesis (issue 8's goal: 0.85). */
  static final double AVAILABILITY_FLOOR = Double.parseDouble(System.getProperty("raftkv.it.availabilityFloor", "0.85"));
  private static final Duration FAULTS = Duration.ofSeconds(Long.getLong("raftkv.it.crashSeconds", 90));
  private static final int PAUSE_PERCENT = 30;

  private static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ClusterHarness.start("CrashRestartAvailabilityIT", 3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void crashRestartKeepsHistoryLinearizableWritesDurableAndMostOperationsServed() throws Exception {
    long seed = Long.getLong("raftkv.it.seed", System.currentTimeMillis());
    HistoryRecorder history = new HistoryRecorder();
    FaultLog log = new FaultLog();
    java.util.function.Supplier<List<java.net.URI>> nodes = () -> cluster.ids().stream().map(cluster::uri).toList();
    TortureClients users = TortureClients.start(nodes, new TortureClients.Mix(4, 0, 45, 40, 0, 15), history, 8,
        FAULTS.plusSeconds(30), seed);
    TortureClients freshWriter = TortureClients.start(nodes, new TortureClients.Mix(1, 100, 0, 0, 0, 0), history, 1,
        FAULTS.plusSeconds(30), seed + 1);
    try {
      new CrashRestartNemesis(cluster, log, seed, PAUSE_PERCENT).run(FAULTS);
    } finally {
      users.close();
      freshWriter.close();
      log.closeAll();
    }
    cluster.restartAll(); // any node whose background restart failed
    TortureChecks.Result result = new TortureChecks().run(cluster, history, users.sharedKeys());
    TortureReport report = new TortureReport(users.attempted(), log);
    report.writeTimeline(cluster.workDir());
    HistoryFile.save(history.operations(), cluster.workDir().resolve("history.tsv"));
    double availability = report.overall().availability();
    String figures = String.format(Locale.ROOT, "seed %d%n%sfloor %.2f (issue 8 goal 0.85)%nnemesis errors: %s%n",
        seed, report.text(), AVAILABILITY_FLOOR, log.errors());
    Files.writeString(cluster.workDir().resolve("figures.txt"), figures);
    System.out.print("[cluster-it] CrashRestartAvailabilityIT " + figures);

    assertThat(log.windows()).as("faults injected").hasSizeGreaterThanOrEqualTo(5);
    assertThat(result.verdict().exhausted()).as("checker budget: %s", result.verdict().explanation()).isFalse();
    assertThat(result.verdict().linearizable()).as("history (%s): %s", history.summary(),
        result.verdict().explanation()).isTrue();
    assertThat(result.acknowledgedFresh()).as("fresh-key writes acknowledged").isPositive();
    assertThat(result.lost()).as("acknowledged writes lost").isEmpty();
    assertThat(availability).as("share of operations served (see %s)", Path.of("timeline.svg"))
        .isGreaterThanOrEqualTo(AVAILABILITY_FLOOR);
  }
}
