package io.raftkv.raft.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parsed command line: {@code name pos1 pos2 key=value key=(a,b,c)}. Parenthesised lists keep
 * their commas; spaces inside parentheses are allowed.
 */
record ScenarioCommand(String name, List<String> positional, Map<String, String> keyed, List<String> input) {

  static ScenarioCommand parse(String line, List<String> input) {
    List<String> tokens = tokenize(line.strip());
    if (tokens.isEmpty()) throw new ScriptError("empty command");
    List<String> positional = new ArrayList<>();
    Map<String, String> keyed = new LinkedHashMap<>();
    for (String token : tokens.subList(1, tokens.size())) {
      int eq = token.indexOf('=');
      if (eq > 0 && !token.startsWith("(")) {
        keyed.put(token.substring(0, eq), token.substring(eq + 1));
      } else {
        positional.add(token);
      }
    }
    return new ScenarioCommand(tokens.get(0), List.copyOf(positional), Map.copyOf(keyed), List.copyOf(input));
  }

  /** Splits on spaces, except inside parentheses so that {@code voters=(1, 2)} stays one token. */
  private static List<String> tokenize(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int depth = 0;
    for (char c : line.toCharArray()) {
      if (c == '(') depth++;
      if (c == ')') depth--;
      if (Character.isWhitespace(c) && depth == 0) {
        if (current.length() > 0) tokens.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (depth != 0) throw new ScriptError("unbalanced parentheses in: " + line);
    if (current.length() > 0) tokens.add(current.toString());
    return tokens;
  }

  String arg(int i) {
    if (i >= positional.size()) {
      throw new ScriptError(name + ": missing argument #" + (i + 1));
    }
    return positional.get(i);
  }

  long id(int i) {
    return number(arg(i));
  }

  static long number(String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new ScriptError("not a number: '" + text + "'", e);
    }
  }

  /** Positional arguments from {@code from} on, as node ids (each may also be a list "(1,2)"). */
  List<Long> ids(int from) {
    List<Long> ids = new ArrayList<>();
    for (String p : positional.subList(Math.min(from, positional.size()), positional.size())) {
      ids.addAll(parseIds(p));
    }
    return ids;
  }

  boolean has(String key) {
    return keyed.containsKey(key);
  }

  String get(String key, String fallback) {
    return keyed.getOrDefault(key, fallback);
  }

  long getLong(String key, long fallback) {
    return has(key) ? number(keyed.get(key)) : fallback;
  }

  boolean getBool(String key, boolean fallback) {
    return has(key) ? Boolean.parseBoolean(keyed.get(key)) : fallback;
  }

  List<Long> getIds(String key) {
    return has(key) ? parseIds(keyed.get(key)) : List.of();
  }

  /** Parses "3", "(1,2,3)" or "()" into ids. */
  static List<Long> parseIds(String text) {
    String body = text.strip();
    if (body.startsWith("(") && body.endsWith(")")) body = body.substring(1, body.length() - 1);
    List<Long> ids = new ArrayList<>();
    for (String part : body.split(",")) {
      if (!part.isBlank()) ids.add(number(part));
    }
    return ids;
  }

  /** Comma-separated values of a keyed argument, e.g. {@code type=(APPEND,HEARTBEAT)}. */
  List<String> getList(String key) {
    if (!has(key)) return List.of();
    String body = keyed.get(key).strip();
    if (body.startsWith("(") && body.endsWith(")")) body = body.substring(1, body.length() - 1);
    List<String> values = new ArrayList<>();
    for (String part : body.split(",")) {
      if (!part.isBlank()) values.add(part.strip());
    }
    return values;
  }
}
