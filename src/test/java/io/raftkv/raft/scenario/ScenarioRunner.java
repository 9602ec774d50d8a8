package io.raftkv.raft.scenario;

import static org.junit.jupiter.api.Assertions.fail;

import io.raftkv.raft.TestDeviation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code *.txt} script under {@code src/test/resources/scenarios} against a fresh
 * {@link InteractionEnv}, one dynamic test per file. With {@code -Draftkv.scenario.rewrite=true} the
 * files are rewritten with the actual output instead (review the git diff before committing!).
 */
class ScenarioRunner {

  static final Path SCENARIO_DIR = Path.of("src", "test", "resources", "scenarios");
  static final String REWRITE_PROPERTY = "raftkv.scenario.rewrite";

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(SCENARIO_DIR)) {
      files = listing.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    if (files.isEmpty()) fail("no scenario scripts in " + SCENARIO_DIR.toAbsolutePath());
    boolean rewrite = Boolean.getBoolean(REWRITE_PROPERTY);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> run(f, rewrite)));
  }

  static void run(Path file, boolean rewrite) {
    String name = file.getFileName().toString();
    ScenarioScript script = ScenarioScript.parse(name, readLines(file));
    Outcome outcome = execute(script);
    if (rewrite) {
      writeLines(file, script.rewrite(outcome.actual()));
    } else if (!outcome.failures().isEmpty()) {
      fail(outcome.failures().get(0)
          + (outcome.failures().size() > 1 ? "(" + (outcome.failures().size() - 1) + " later blocks also differ)\n" : ""));
    }
  }

  record Outcome(List<List<String>> actual, List<String> failures) {}

  static Outcome execute(ScenarioScript script) {
    return execute(script, Set.of());
  }

  /** Runs a script with deliberate core bugs switched on (mutation tests: the script must notice). */
  static Outcome execute(ScenarioScript script, Set<TestDeviation> deviations) {
    InteractionEnv env = new InteractionEnv(deviations);
    List<List<String>> actual = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (ScenarioScript.Block block : script.blocks()) {
      List<String> output;
      try {
        output = env.execute(block.command());
      } catch (ScriptError e) {
        // A malformed script is an authoring error, never an expectation to record.
        throw new ScriptError(script.name() + ":" + block.lineNumber() + ": " + e.getMessage(), e);
      }
      actual.add(output);
      if (!output.equals(block.expected())) failures.add(ScenarioDiff.describe(script.name(), block, output));
    }
    return new Outcome(actual, failures);
  }

  static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeLines(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
