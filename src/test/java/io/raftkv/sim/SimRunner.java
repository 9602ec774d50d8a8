package io.raftkv.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import java.util.stream.LongStream;

/**
 * How tests choose seeds and run scenarios. System properties:
 * <ul>
 *   <li>{@code raftkv.sim.seed}: run exactly this seed (replay);</li>
 *   <li>{@code raftkv.sim.seeds} (default 300) and {@code raftkv.sim.firstSeed} (default 1): the range;</li>
 *   <li>{@code raftkv.sim.verbose}: keep an event log and print its tail on failure;</li>
 *   <li>{@code raftkv.sim.threads}: how many seeds run in parallel (default: available processors).</li>
 * </ul>
 */
final class SimRunner {

  private SimRunner() {}

  static long[] seeds() {
    String one = System.getProperty("raftkv.sim.seed");
    if (one != null && !one.isBlank()) return new long[] {Long.parseLong(one.trim())};
    int count = Integer.getInteger("raftkv.sim.seeds", 300);
    long first = Long.getLong("raftkv.sim.firstSeed", 1L);
    return LongStream.range(first, first + count).toArray();
  }

  static boolean verbose() {
    return Boolean.getBoolean("raftkv.sim.verbose");
  }

  static String replayCommand(String testClass, long seed) {
    return "./mvnw -o test -Dtest=" + testClass + " -Draftkv.sim.seed=" + seed
        + " -Draftkv.sim.verbose=true";
  }

  static SimCluster.Outcome run(Scenario sc, String testClass) {
    return new SimCluster(sc, replayCommand(testClass, sc.seed), verbose()).run();
  }

  /** A run's scenario with either its outcome or its failure. */
  record SeedResult(Scenario scenario, SimCluster.Outcome outcome, SimulationFailure failure) {}

  /**
   * Runs the seeds on {@code raftkv.sim.threads} threads (default: available processors); each run is
   * single-threaded and independent, so parallelism does not affect determinism. Results in seed order.
   */
  static List<SeedResult> runAll(long[] seeds, LongFunction<Scenario> scenarios, String testClass) {
    int threads = Integer.getInteger("raftkv.sim.threads", Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<SeedResult>> futures = new ArrayList<>();
      for (long seed : seeds) {
        futures.add(pool.submit(() -> {
          Scenario sc = scenarios.apply(seed);
          try {
            return new SeedResult(sc, run(sc, testClass), null);
          } catch (SimulationFailure f) {
            return new SeedResult(sc, null, f);
          }
        }));
      }
      List<SeedResult> results = new ArrayList<>();
      for (Future<SeedResult> f : futures) results.add(f.get());
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("simulation harness error", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
