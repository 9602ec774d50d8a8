package io.raftkv.raft.scenario;

import java.util.List;

/** Renders a readable mismatch report for one block: where, what was expected, what happened. */
final class ScenarioDiff {

  private ScenarioDiff() {}

  static String describe(String file, ScenarioScript.Block block, List<String> actual) {
    List<String> expected = block.expected();
    int first = firstDifference(expected, actual);
    StringBuilder sb = new StringBuilder();
    sb.append(file).append(':').append(block.lineNumber()).append(": output of '")
        .append(block.command().name()).append("' differs\n");
    sb.append("  first difference at ").append(file).append(':').append(block.expectedStart() + first + 1)
        .append('\n');
    sb.append("    expected: ").append(first < expected.size() ? expected.get(first) : "<end of output>").append('\n');
    sb.append("    actual:   ").append(first < actual.size() ? actual.get(first) : "<end of output>").append('\n');
    sb.append("  --- expected\n");
    appendIndented(sb, expected, first);
    sb.append("  +++ actual\n");
    appendIndented(sb, actual, first);
    return sb.toString();
  }

  static int firstDifference(List<String> expected, List<String> actual) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) return i;
    }
    return n;
  }

  private static void appendIndented(StringBuilder sb, List<String> lines, int marked) {
    for (int i = 0; i < lines.size(); i++) {
      sb.append(i == marked ? "  > " : "    ").append(lines.get(i)).append('\n');
    }
  }
}
