package io.raftkv.raft.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.TestDeviation;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scripts must catch real bugs, not just record output: with a deliberate safety bug switched on
 * in the core (a {@link TestDeviation}), the script about that rule must stop matching, and the first
 * mismatch must be at the point where the rule is exercised.
 */
class ScenarioMutationTest {

  @Test
  void figure8ScriptCatchesCommittingAnOldTermEntryByCounting() {
    String firstFailure = firstFailure("figure8_commit_rule.txt", TestDeviation.COMMIT_PRIOR_TERM_BY_COUNTING);

    // The first check after 7/2 reaches a majority in term 4 must see commit=6, not 7.
    assertThat(firstFailure).contains("output of 'raft-state' differs")
        .contains("expected: 1: LEADER term=4 leader=1 commit=6")
        .contains("actual:   1: LEADER term=4 leader=1 commit=7");
  }

  @Test
  void readIndexScriptCatchesAnsweringWithoutAQuorumRound() {
    String firstFailure = firstFailure("read_index.txt", TestDeviation.READ_INDEX_WITHOUT_QUORUM_CHECK);

    // Already the first read is answered without its heartbeat round.
    assertThat(firstFailure).contains("output of 'process-ready' differs").contains("ctx=r1");
  }

  @Test
  void unmodifiedCoreMatchesBothScripts() {
    assertThat(run("figure8_commit_rule.txt", Set.of()).failures()).isEmpty();
    assertThat(run("read_index.txt", Set.of()).failures()).isEmpty();
  }

  private static String firstFailure(String file, TestDeviation deviation) {
    ScenarioRunner.Outcome outcome = run(file, Set.of(deviation));
    assertThat(outcome.failures()).as("script %s must fail with %s", file, deviation).isNotEmpty();
    return outcome.failures().get(0);
  }

  private static ScenarioRunner.Outcome run(String file, Set<TestDeviation> deviations) {
    var lines = ScenarioRunner.readLines(ScenarioRunner.SCENARIO_DIR.resolve(file));
    return ScenarioRunner.execute(ScenarioScript.parse(file, lines), deviations);
  }
}
