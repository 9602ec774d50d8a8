package io.raftkv.cluster;

import io.raftkv.kv.ClusterView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The soak run's nemesis: one fault episode after another, each a random kind from the enabled set,
 * until the run's time is up. An episode injects the fault, lifts it after a random while, and waits
 * (bounded) until every member serves and all agree on a leader; its {@link FaultLog} window covers
 * all of that, so a kind's availability includes the recovery it causes. 1–3 s of calm follow.
 *
 * <p>Clock skew: every node runs through a java wrapper (see {@link TortureMain}) that starts the JVM
 * under libfaketime when the node's skew file holds a faketime spec ("+0 x1.03": the clock, monotonic
 * included, runs 3% fast). The skew fault restarts a node with such a rate; the node keeps it until
 * a later kill restarts it with the true clock.
 */
final class TortureNemesis {
  static final List<String> KINDS = List.of("kill9", "pause", "isolate", "one-way", "partition",
      "leader-transfer", "membership", "clock-skew");
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(150);

  private final ClusterHarness cluster;
  private final FaultLog log;
  private final Random random;
  private final List<String> kinds;
  private final Path skewDir;
  private final double maxSkew;
  private final AdminClient admin = new AdminClient();
  private int nextId;

  TortureNemesis(ClusterHarness cluster, FaultLog log, long seed, List<String> kinds, Path skewDir, double maxSkew) {
    this.cluster = cluster;
    this.log = log;
    this.random = new Random(seed);
    this.kinds = List.copyOf(kinds);
    this.skewDir = skewDir;
    this.maxSkew = maxSkew;
    this.nextId = Collections.max(cluster.ids()) + 1;
  }

  /** Runs episodes until fewer than ~20 s of {@code duration} remain. */
  void run(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (deadline - System.nanoTime() > Duration.ofSeconds(20).toNanos()) {
      String kind = kinds.get(random.nextInt(kinds.size()));
      List<Integer> up = cluster.running();
      if (up.size() < cluster.members().size()) {
        recover(); // a node that failed to come back in an earlier episode
        continue;
      }
      FaultLog.Window window = null;
      try {
        window = inject(kind, up);
        awaitRecovered();
      } catch (RuntimeException | IOException | AssertionError e) {
        log.error(kind + ": " + CrashRestartNemesis.firstLine(e));
        cluster.heal();
        recover();
      } finally {
        if (window != null) window.close();
      }
      ClusterHarness.sleep(Duration.ofMillis(1000 + random.nextInt(2001)));
    }
  }

  private FaultLog.Window inject(String kind, List<Integer> up) throws IOException {
    int victim = up.get(random.nextInt(up.size()));
    Optional<Integer> leader = leader();
    return switch (kind) {
      case "kill9" -> killAndRestart(victim, null);
      case "clock-skew" -> killAndRestart(victim, skewSpec());
      case "pause" -> timed(log.open(kind, "node " + victim), () -> cluster.pause(victim), () -> cluster.resume(victim), 2000, 8000);
      case "isolate" -> {
        int target = leader.filter(l -> random.nextBoolean()).orElse(victim);
        yield timed(log.open(kind, "node " + target + " from its peers"), () -> cluster.isolate(target), cluster::heal, 3000, 10000);
      }
      case "one-way" -> oneWay(leader.orElse(victim), up);
      case "partition" -> partition(up);
      case "leader-transfer" -> transfer(leader.orElse(victim), up);
      case "membership" -> replace(victim, leader.orElse(victim));
      default -> throw new IllegalArgumentException("unknown fault kind " + kind);
    };
  }

  private FaultLog.Window timed(FaultLog.Window w, Runnable inject, Runnable lift, int minMs, int maxMs) {
    inject.run();
    ClusterHarness.sleep(Duration.ofMillis(minMs + random.nextInt(maxMs - minMs + 1)));
    lift.run();
    return w;
  }

  private FaultLog.Window killAndRestart(int victim, String skew) throws IOException {
    FaultLog.Window w = log.open(skew == null ? "kill9" : "clock-skew",
        "node " + victim + (skew == null ? "" : " restarted with faketime '" + skew + "'"));
    cluster.kill9(victim);
    Path skewFile = skewDir.resolve("skew-" + victim);
    if (skew == null) {
      Files.deleteIfExists(skewFile);
    } else {
      Files.writeString(skewFile, skew);
    }
    ClusterHarness.sleep(Duration.ofMillis(1000 + random.nextInt(2001)));
    cluster.restart(victim);
    return w;
  }

  private String skewSpec() {
    double rate = 1 + (random.nextDouble() * 2 - 1) * maxSkew;
    return String.format(java.util.Locale.ROOT, "+0 x%.3f", rate);
  }

  /** Drops packets one way: either from one node to one other, or from the leader to every follower. */
  private FaultLog.Window oneWay(int from, List<Integer> up) {
    List<Integer> others = new ArrayList<>(up);
    others.remove(Integer.valueOf(from));
    List<Integer> to = random.nextBoolean() ? others : List.of(others.get(random.nextInt(others.size())));
    return timed(log.open("one-way", "node " + from + " -> " + to + " dropped"),
        () -> to.forEach(t -> cluster.dropOneWay(from, t)), cluster::heal, 3000, 10000);
  }

  /** A random split into a minority and a majority (both directions). */
  private FaultLog.Window partition(List<Integer> up) {
    List<Integer> shuffled = new ArrayList<>(up);
    Collections.shuffle(shuffled, random);
    int minority = 1 + random.nextInt(Math.max(1, (up.size() - 1) / 2));
    List<Integer> a = shuffled.subList(0, minority);
    List<Integer> b = shuffled.subList(minority, shuffled.size());
    return timed(log.open("partition", a + " | " + b), () -> cluster.partition(a, b), cluster::heal, 3000, 10000);
  }

  /** 1–3 leadership transfers, to a random voter or to "any". */
  private FaultLog.Window transfer(int leader, List<Integer> up) {
    FaultLog.Window w = log.open("leader-transfer", "from node " + leader);
    int times = 1 + random.nextInt(3);
    for (int i = 0; i < times; i++) {
      int to = up.get(random.nextInt(up.size()));
      String body = random.nextInt(4) == 0 ? "{}" : "{\"to\":" + to + "}";
      AdminClient.Answer a = admin.transferLeader(cluster.uri(leader().orElse(leader)), body);
      if (a.status() != 200) log.error("leader transfer " + body + " answered " + a.status() + " " + a.body());
      ClusterHarness.sleep(Duration.ofMillis(500 + random.nextInt(1500)));
    }
    return w;
  }

  /**
   * Replaces a member: removes it (retrying while another change is in flight or the leader is not
   * known), stops it for good, then a new node with a fresh id joins through the leader.
   */
  private FaultLog.Window replace(int victim, int leader) throws IOException {
    int newcomer = nextId++;
    FaultLog.Window w = log.open("membership", "node " + victim + " replaced by node " + newcomer);
    AdminClient.Answer a = null;
    for (int attempt = 0; attempt < 30; attempt++) {
      a = admin.removeMember(cluster.uri(leader().orElse(leader)), Integer.toString(victim));
      if (a.status() != 409 && a.status() != 503 && a.status() != 0) break;
      ClusterHarness.sleep(Duration.ofMillis(500));
    }
    if (a.status() != 200) {
      log.error("removal of node " + victim + " answered " + a.status() + " " + a.body());
      return w;
    }
    cluster.markRemoved(victim);
    int via = leader().filter(l -> l != victim).orElse(cluster.running().get(0));
    cluster.join(newcomer, via);
    return w;
  }

  /** The leader the running members report, if one answers with one that is a running member. */
  private Optional<Integer> leader() {
    for (int id : cluster.running()) {
      ClusterView v = cluster.view(id);
      if (v != null && v.leader() != null && cluster.running().contains(v.leader().intValue())) {
        return Optional.of(v.leader().intValue());
      }
    }
    return Optional.empty();
  }

  /** Lifts every fault: network healed, paused nodes resumed, down members restarted; bounded. */
  void recover() {
    cluster.heal();
    for (int id : cluster.members()) {
      if (cluster.state(id) == ClusterHarness.State.PAUSED) cluster.resume(id);
    }
    for (int id : cluster.members()) {
      if (cluster.state(id) != ClusterHarness.State.DOWN) continue;
      try {
        cluster.restart(id);
      } catch (IOException | RuntimeException | AssertionError e) {
        log.error("restart of node " + id + ": " + CrashRestartNemesis.firstLine(e));
        cluster.markDown(id);
      }
    }
  }

  private void awaitRecovered() {
    cluster.awaitLeaderAmong(cluster.running(), RECOVERY_TIMEOUT);
  }
}
