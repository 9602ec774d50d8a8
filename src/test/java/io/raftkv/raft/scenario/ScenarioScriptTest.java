package io.raftkv.raft.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The script format itself: parsing, rewriting and the failure report (no Raft core involved). */
class ScenarioScriptTest {

  @Test
  void parsesCommandsInputAndExpectedOutput() {
    ScenarioScript script = ScenarioScript.parse("t.txt", List.of(
        "# a comment",
        "add-nodes 3 voters=(1, 2,3) prevote=false",
        "----",
        "line one",
        "line two",
        "",
        "deliver-msgs 2 3 type=(APPEND,HEARTBEAT)",
        "some input",
        "----",
        "ok"));

    assertThat(script.blocks()).hasSize(2);
    ScenarioScript.Block first = script.blocks().get(0);
    assertThat(first.lineNumber()).isEqualTo(2);
    assertThat(first.command().name()).isEqualTo("add-nodes");
    assertThat(first.command().id(0)).isEqualTo(3);
    assertThat(first.command().getIds("voters")).containsExactly(1L, 2L, 3L);
    assertThat(first.command().getBool("prevote", true)).isFalse();
    assertThat(first.expected()).containsExactly("line one", "line two");

    ScenarioCommand second = script.blocks().get(1).command();
    assertThat(second.ids(0)).containsExactly(2L, 3L);
    assertThat(second.getList("type")).containsExactly("APPEND", "HEARTBEAT");
    assertThat(second.input()).containsExactly("some input");
    assertThat(script.blocks().get(1).expected()).containsExactly("ok");
  }

  @Test
  void rewriteReplacesOnlyExpectedOutput() {
    List<String> lines = List.of("# keep me", "msgs", "----", "stale", "stale too", "", "# and me", "heal", "----", "ok");
    ScenarioScript script = ScenarioScript.parse("t.txt", lines);

    List<String> rewritten = script.rewrite(List.of(List.of("fresh"), List.of("ok")));

    assertThat(rewritten).containsExactly("# keep me", "msgs", "----", "fresh", "", "# and me", "heal", "----", "ok");
  }

  @Test
  void missingSeparatorIsAScriptError() {
    assertThatThrownBy(() -> ScenarioScript.parse("t.txt", List.of("msgs", "", "heal", "----", "ok")))
        .isInstanceOf(ScriptError.class)
        .hasMessageContaining("t.txt:2");
  }

  @Test
  void mismatchFailsWithFileLineAndBothOutputs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.txt");
    Files.write(file, List.of("", "msgs", "----", "something else"));

    assertThatThrownBy(() -> ScenarioRunner.run(file, false))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("bad.txt:2: output of 'msgs' differs")
        .hasMessageContaining("first difference at bad.txt:4")
        .hasMessageContaining("expected: something else")
        .hasMessageContaining("actual:   no messages in flight");
  }

  @Test
  void rewriteModeRecordsActualOutput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fix.txt");
    Files.write(file, List.of("# note", "msgs", "----", "old", "", "heal", "----", "old"));

    ScenarioRunner.run(file, true);

    assertThat(Files.readAllLines(file))
        .containsExactly("# note", "msgs", "----", "no messages in flight", "", "heal", "----", "ok");
    ScenarioRunner.run(file, false);
  }

  @Test
  void unknownCommandIsAScriptErrorNotOutput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("typo.txt");
    Files.write(file, List.of("stabilise", "----", "ok"));

    assertThatThrownBy(() -> ScenarioRunner.run(file, true))
        .isInstanceOf(ScriptError.class)
        .hasMessageContaining("typo.txt:1: unknown command 'stabilise'");
    assertThat(Files.readAllLines(file)).containsExactly("stabilise", "----", "ok");
  }
}
