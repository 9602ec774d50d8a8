package io.raftkv.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The crash/restart test of issue 8, as a user ran it against raftkv and etcd: every 2–6 s a random
 * node that is up is either killed with -9 and restarted 1–3 s later, or paused with SIGSTOP and
 * resumed (SIGCONT) 1–3 s later. Restarts run in the background, so the next fault does not wait for
 * a slow restart: while nodes take longer to come back than the faults are apart, several can be down
 * at once, and availability shows it. Each fault's window in the {@link FaultLog} runs from the
 * signal until the node serves again (kill) or is resumed (pause).
 */
final class CrashRestartNemesis {
  static final String KILL = "kill9";
  static final String PAUSE = "pause";

  private final ClusterHarness cluster;
  private final FaultLog log;
  private final Random random;
  private final int pausePercent;
  private final Set<Integer> busy = ConcurrentHashMap.newKeySet();
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "crash-nemesis-restart");
    t.setDaemon(true);
    return t;
  });

  CrashRestartNemesis(ClusterHarness cluster, FaultLog log, long seed, int pausePercent) {
    this.cluster = cluster;
    this.log = log;
    this.random = new Random(seed);
    this.pausePercent = pausePercent;
  }

  /** Injects faults until {@code duration} has passed, then waits (bounded) for every node to be back. */
  void run(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (true) {
      long wait = 2000 + random.nextInt(4001);
      if (System.nanoTime() + wait * 1_000_000 >= deadline) break;
      ClusterHarness.sleep(Duration.ofMillis(wait));
      List<Integer> up = cluster.running().stream().filter(id -> !busy.contains(id)).toList();
      if (up.isEmpty()) continue;
      int victim = up.get(random.nextInt(up.size()));
      long downFor = 1000 + random.nextInt(2001);
      busy.add(victim);
      try {
        if (random.nextInt(100) < pausePercent) {
          pause(victim, downFor);
        } else {
          kill(victim, downFor);
        }
      } catch (RuntimeException e) {
        log.error("fault on node " + victim + ": " + firstLine(e));
        busy.remove(victim);
      }
    }
    background.shutdown();
    try {
      if (!background.awaitTermination(4, TimeUnit.MINUTES)) log.error("restarts still running after 4 min");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pause(int victim, long millis) {
    FaultLog.Window w = log.open(PAUSE, "node " + victim + " for " + millis + " ms");
    cluster.pause(victim);
    background.execute(() -> {
      try {
        ClusterHarness.sleep(Duration.ofMillis(millis));
        cluster.resume(victim);
      } catch (RuntimeException e) {
        log.error("resume of node " + victim + ": " + e);
      } finally {
        w.close();
        busy.remove(victim);
      }
    });
  }

  private void kill(int victim, long millis) {
    FaultLog.Window w = log.open(KILL, "node " + victim + ", restart after " + millis + " ms");
    cluster.kill9(victim);
    background.execute(() -> {
      try {
        ClusterHarness.sleep(Duration.ofMillis(millis));
        long began = System.nanoTime();
        cluster.restart(victim);
        System.out.printf("[torture] node %d serving again %d ms after its restart began%n", victim,
            (System.nanoTime() - began) / 1_000_000);
      } catch (RuntimeException | java.io.IOException | AssertionError e) {
        log.error("restart of node " + victim + ": " + firstLine(e));
        cluster.markDown(victim);
      } finally {
        w.close();
        busy.remove(victim);
      }
    });
  }

  static String firstLine(Throwable e) {
    String text = String.valueOf(e.getMessage());
    int nl = text.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (nl < 0 ? text : text.substring(0, nl));
  }
}
