package io.raftkv.sim;

import java.util.function.LongFunction;
import java.util.stream.LongStream;

/**
 * How tests choose seeds and run scenarios. System properties:
 * <ul>
 *   <li>{@code raftkv.sim.seed}: run exactly this seed (replay);</li>
 *   <li>{@code raftkv.sim.seeds} (default 300) and {@code raftkv.sim.firstSeed} (default 1): the range;</li>
 *   <li>{@code raftkv.sim.verbose}: keep an event log and print its tail on failure.</li>
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

  static SimCluster.Outcome run(long seed, LongFunction<Scenario> scenarios, String testClass) {
    return run(scenarios.apply(seed), testClass);
  }
}
