package io.raftkv.cluster;

import io.raftkv.cluster.HistoryRecorder.Kind;
import io.raftkv.cluster.HistoryRecorder.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves a recorded history as one tab-separated line per operation and loads it back, so a failed
 * cluster run can be re-checked and analysed offline without starting the cluster again.
 */
final class HistoryFile {
  private static final String NULL = "\\N";

  private HistoryFile() {}

  static Path save(List<Op> history, Path file) {
    List<String> lines = new ArrayList<>();
    for (Op op : history) {
      KvResult r = op.result();
      lines.add(String.join("\t", Integer.toString(op.client()), op.kind().name(), escape(op.key()),
          escape(op.value()), Long.toString(op.invokedAt()), Long.toString(op.completedAt()),
          r.outcome().name(), Integer.toString(r.status()), escape(r.value()), Long.toString(r.revision()),
          escape(r.detail()), escape(op.node() == null ? null : op.node().toString()),
          Long.toString(op.invokedAtMillis())));
    }
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Op> load(Path file) throws IOException {
    List<Op> ops = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split("\t", -1);
      KvResult result = new KvResult(KvResult.Outcome.valueOf(f[6]), Integer.parseInt(f[7]), unescape(f[8]),
          Long.parseLong(f[9]), unescape(f[10]));
      String node = unescape(f[11]);
      ops.add(new Op(Integer.parseInt(f[0]), Kind.valueOf(f[1]), unescape(f[2]), unescape(f[3]),
          Long.parseLong(f[4]), Long.parseLong(f[5]), result, node == null ? null : URI.create(node),
          Long.parseLong(f[12])));
    }
    return ops;
  }

  private static String escape(String text) {
    if (text == null) {
      return NULL;
    }
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String unescape(String text) {
    if (text.equals(NULL)) {
      return null;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        continue;
      }
      char next = text.charAt(++i);
      out.append(switch (next) {
        case 't' -> '\t';
        case 'n' -> '\n';
        case 'r' -> '\r';
        default -> next;
      });
    }
    return out.toString();
  }
}
