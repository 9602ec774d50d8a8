package io.raftkv.raft.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed scenario file. Grammar (line oriented, like etcd's datadriven tests):
 *
 * <pre>
 * # comment (only between blocks)
 * command arg key=value        &lt;- one block
 * optional input line          &lt;- zero or more input lines
 * ----
 * expected output               &lt;- until a blank line or end of file
 * </pre>
 *
 * The original lines are kept so that a rewrite only replaces expected-output ranges and leaves
 * comments and spacing untouched.
 */
final class ScenarioScript {

  static final String SEPARATOR = "----";

  /** One command with its expected output occupying lines [expectedStart, expectedEnd) of the file. */
  record Block(int commandLine, ScenarioCommand command, int expectedStart, int expectedEnd, List<String> expected) {
    /** 1-based line number for messages. */
    int lineNumber() {
      return commandLine + 1;
    }
  }

  private final String name;
  private final List<String> lines;
  private final List<Block> blocks;

  private ScenarioScript(String name, List<String> lines, List<Block> blocks) {
    this.name = name;
    this.lines = lines;
    this.blocks = blocks;
  }

  String name() {
    return name;
  }

  List<Block> blocks() {
    return blocks;
  }

  static ScenarioScript parse(String name, List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        i++;
        continue;
      }
      int commandLine = i;
      List<String> input = new ArrayList<>();
      i++;
      while (i < lines.size() && !lines.get(i).equals(SEPARATOR)) {
        if (lines.get(i).isBlank()) {
          throw new ScriptError(name + ":" + (i + 1) + ": blank line before '" + SEPARATOR
              + "' (command on line " + (commandLine + 1) + " has no expected-output section)");
        }
        input.add(lines.get(i));
        i++;
      }
      if (i >= lines.size()) {
        throw new ScriptError(name + ":" + (commandLine + 1) + ": missing '" + SEPARATOR + "'");
      }
      i++;
      int expectedStart = i;
      while (i < lines.size() && !lines.get(i).isBlank()) i++;
      ScenarioCommand command;
      try {
        command = ScenarioCommand.parse(line, input);
      } catch (ScriptError e) {
        throw new ScriptError(name + ":" + (commandLine + 1) + ": " + e.getMessage(), e);
      }
      blocks.add(new Block(commandLine, command, expectedStart, i, List.copyOf(lines.subList(expectedStart, i))));
    }
    return new ScenarioScript(name, List.copyOf(lines), List.copyOf(blocks));
  }

  /** The file's lines with every block's expected output replaced by {@code actual.get(blockIndex)}. */
  List<String> rewrite(List<List<String>> actual) {
    List<String> out = new ArrayList<>();
    int next = 0;
    for (int b = 0; b < blocks.size() && b < actual.size(); b++) {
      Block block = blocks.get(b);
      out.addAll(lines.subList(next, block.expectedStart()));
      out.addAll(actual.get(b));
      next = block.expectedEnd();
    }
    out.addAll(lines.subList(next, lines.size()));
    return out;
  }
}
