package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random seeded runs of 1-, 3- and 5-node clusters under faults (see {@link Scenario#random}): every step
 * is checked for Raft's safety properties, every run for calm-phase liveness and for linearizability of
 * its client history. A failure names the seed and the command that replays it.
 */
class RaftSimulationTest {

  private static final String NAME = RaftSimulationTest.class.getSimpleName();

  @Test
  void randomClustersStaySafeLinearizableAndLive() {
    long[] seeds = SimRunner.seeds();
    Map<Integer, Integer> runsBySize = new TreeMap<>();
    Map<String, Integer> faults = new TreeMap<>();
    Map<String, Integer> kinds = new TreeMap<>();
    long ok = 0;
    long unknown = 0;
    List<String> failures = new ArrayList<>();
    long start = System.nanoTime();
    for (SimRunner.SeedResult r : SimRunner.runAll(seeds, Scenario::random, NAME)) {
      if (r.failure() != null) {
        failures.add(r.failure().getMessage());
        System.err.println(r.failure().getMessage());
        continue;
      }
      runsBySize.merge(r.scenario().nodes, 1, Integer::sum);
      r.outcome().faults().forEach((k, v) -> faults.merge(k, v, Integer::sum));
      r.outcome().okByKind().forEach((k, v) -> kinds.merge(k, v, Integer::sum));
      ok += r.outcome().ok();
      unknown += r.outcome().timedOut();
    }
    System.out.printf("%d seeds in %.1f s: runs by cluster size %s, %d ops ok, %d writes timed out (outcome settled from the log); events %s%n",
        seeds.length, (System.nanoTime() - start) / 1e9, runsBySize, ok, unknown, faults);
    System.out.printf("successful operations by kind: %s%n", kinds);
    if (!failures.isEmpty()) {
      fail(failures.size() + " failing seed(s): " + failures.stream().map(m -> m.lines().findFirst().orElse(""))
          .toList() + "\nfirst:\n" + failures.get(0));
    }
    assertThat(ok).as("operations that completed").isPositive();
    if (seeds.length >= 100) {
      assertThat(runsBySize).containsKeys(1, 3, 5);
      assertThat(faults).containsKeys("crash", "crash during Ready", "partition: isolate", "partition: split",
          "one-way: mute", "one-way: deafen", "heal", "snapshot+compaction", "snapshot installed",
          "membership: ADD_VOTER", "membership: ADD_LEARNER", "membership: REMOVE_NODE", "leadership transfer",
          "expire proposed", "expire applied: key deleted", "expire applied: nothing deleted");
      // Ranges and txns ran, both txn branches were taken, and ranges returned items, nothing, counts and pages.
      assertThat(kinds).containsKeys("put", "get", "delete", "cas", "txn then", "txn else", "range items",
          "range empty", "range count", "range more", "put ttl", "expire");
      // Some expires' outcome was unknown (proposer crashed or deposed): settled from the log or left open.
      assertThat(faults).containsKey("expire outcome unknown");
    }
  }
}
