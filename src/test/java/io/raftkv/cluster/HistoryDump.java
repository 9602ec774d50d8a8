package io.raftkv.cluster;

import io.raftkv.cluster.HistoryRecorder.Kind;
import io.raftkv.cluster.HistoryRecorder.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debugging aid for a failed linearizability check: the full history of one key (FAILED and UNKNOWN
 * operations included, with the node asked, HTTP status and body), followed by what the revisions
 * alone prove. Revisions are Raft indexes, so they expose anomalies the value-only checker cannot name:
 * a read older than an acknowledged write that finished before it began (stale read), one value
 * written at two revisions (double apply), a value read that only a FAILED write could have put there.
 */
final class HistoryDump {
  private static final Pattern FAILING_KEY = Pattern.compile("(?:not linearizable|search budget exhausted) on key (\\S+):");

  private HistoryDump() {}

  /** The key the sim checker's explanation names, or null. */
  static String failingKey(String explanation) {
    Matcher m = explanation == null ? null : FAILING_KEY.matcher(explanation);
    return m != null && m.find() ? m.group(1) : null;
  }

  /** Writes {@link #describe} of {@code key} to {@code file}; returns the file. */
  static Path write(List<Op> history, String key, Path file) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, describe(history, key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String describe(List<Op> history, String key) {
    List<Op> ops = history.stream().filter(op -> op.key().equals(key))
        .sorted(Comparator.comparingLong(Op::invokedAt)).toList();
    StringBuilder out = new StringBuilder("history of key " + key + " (" + ops.size() + " operations)\n");
    for (Op op : ops) {
      out.append(line(op)).append('\n');
    }
    out.append("\nrevision anomalies:\n");
    List<String> anomalies = anomalies(ops);
    anomalies.forEach(a -> out.append("  ").append(a).append('\n'));
    if (anomalies.isEmpty()) {
      out.append("  none\n");
    }
    return out.toString();
  }

  /** Anomalies the revisions prove, for operations on a single key. */
  static List<String> anomalies(List<Op> ops) {
    List<String> found = new ArrayList<>();
    Map<String, Op> writeOfValue = new HashMap<>();
    for (Op op : ops) {
      if (op.kind() == Kind.PUT) {
        writeOfValue.put(op.value(), op);
      }
    }
    for (Op op : ops) {
      if (op.kind() != Kind.GET || !op.result().isOk()) { // ranges and txns: in the history, not analysed here
        continue;
      }
      Op write = writeOfValue.get(op.result().value());
      if (write == null) {
        found.add("read of a value never written: " + line(op));
      } else if (write.result().outcome() == KvResult.Outcome.FAILED) {
        found.add("read of a value whose write was answered FAILED: " + line(op) + " <- " + line(write));
      } else if (write.result().isOk() && write.result().revision() != op.result().revision()) {
        found.add("value read at another revision than it was written (double apply?): " + line(op)
            + " <- " + line(write));
      }
      Op newer = newestAcknowledgedWriteBefore(ops, op.invokedAt());
      if (newer != null && newer.result().revision() > op.result().revision()) {
        found.add("stale read: " + line(op) + " but acknowledged before it: " + line(newer));
      }
    }
    return found;
  }

  private static Op newestAcknowledgedWriteBefore(List<Op> ops, long at) {
    Op newest = null;
    for (Op op : ops) {
      boolean acknowledgedWrite = !op.kind().isRead() && op.result().isOk();
      if (acknowledgedWrite && op.completedAt() < at
          && (newest == null || op.result().revision() > newest.result().revision())) {
        newest = op;
      }
    }
    return newest;
  }

  static String line(Op op) {
    KvResult r = op.result();
    boolean unknown = r.outcome() == KvResult.Outcome.UNKNOWN;
    return String.format("%tT.%<tL c%d [%d,%s] %s%s via %s -> %s %d value=%s rev=%d body=%s",
        op.invokedAtMillis(), op.client(), op.invokedAt(), unknown ? "inf" : Long.toString(op.completedAt()), op.kind(),
        op.kind() == Kind.PUT ? "(" + op.value() + ")" : "", op.node(), r.outcome(), r.status(),
        r.value(), r.revision(), abbreviate(r.detail()));
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "-";
    }
    String flat = text.replaceAll("\\s+", " ");
    return flat.length() <= 160 ? flat : flat.substring(0, 160) + "...";
  }
}
