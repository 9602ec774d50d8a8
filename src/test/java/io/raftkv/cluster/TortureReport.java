package io.raftkv.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Availability of a run: overall and per fault kind (each operation counted under the faults in
 * progress when it started), and a per-second timeline of succeeded and failed operations, written as
 * {@code timeline.csv} and drawn in {@code timeline.svg} (green ok, red failed, fault windows shaded).
 */
final class TortureReport {
  /** Operations started while a given set of faults was in progress, and how many succeeded. */
  record Tally(long ok, long total) {
    double availability() {
      return total == 0 ? 1.0 : (double) ok / total;
    }

    Tally plus(boolean succeeded) {
      return new Tally(ok + (succeeded ? 1 : 0), total + 1);
    }
  }

  private final List<TortureClients.Attempted> ops;
  private final FaultLog log;
  private final long startMillis;
  private final long endMillis;

  TortureReport(List<TortureClients.Attempted> ops, FaultLog log) {
    this.ops = ops;
    this.log = log;
    this.startMillis = ops.stream().mapToLong(TortureClients.Attempted::startMillis).min().orElse(0);
    this.endMillis = ops.stream().mapToLong(TortureClients.Attempted::endMillis).max().orElse(startMillis);
  }

  Tally overall() {
    return new Tally(ops.stream().filter(TortureClients.Attempted::ok).count(), ops.size());
  }

  Map<String, Tally> byFault() {
    Map<String, Tally> tallies = new TreeMap<>();
    for (TortureClients.Attempted op : ops) {
      tallies.merge(log.label(op.startMillis()), new Tally(0, 0).plus(op.ok()),
          (a, b) -> new Tally(a.ok() + b.ok(), a.total() + b.total()));
    }
    return tallies;
  }

  /** Episodes per fault kind. */
  Map<String, Integer> episodes() {
    Map<String, Integer> counts = new TreeMap<>();
    log.windows().forEach(w -> counts.merge(w.kind, 1, Integer::sum));
    return counts;
  }

  String text() {
    StringBuilder out = new StringBuilder();
    Tally all = overall();
    out.append(String.format(Locale.ROOT, "operations: %d, succeeded %d (%.1f%%)%n", all.total(), all.ok(),
        100 * all.availability()));
    long attempts = ops.stream().mapToLong(TortureClients.Attempted::attempts).sum();
    out.append(String.format(Locale.ROOT, "attempts (one node each): %d, %.1f%% answered (failed attempts are retried on another "
        + "node)%n", attempts, attempts == 0 ? 100.0 : 100.0 * all.ok() / attempts));
    out.append("availability by fault in progress when the operation started:\n");
    byFault().forEach((label, t) -> out.append(String.format(Locale.ROOT, "  %-28s %7d ops  %6.1f%%%n",
        label, t.total(), 100 * t.availability())));
    out.append("fault episodes: ").append(episodes()).append('\n');
    return out.toString();
  }

  /** Per second since the first operation: ok, failed, faults in progress at the second's start. */
  long[][] perSecond() {
    int seconds = (int) ((endMillis - startMillis) / 1000) + 1;
    long[][] counts = new long[seconds][2];
    for (TortureClients.Attempted op : ops) {
      int s = (int) ((op.startMillis() - startMillis) / 1000);
      counts[s][op.ok() ? 0 : 1]++;
    }
    return counts;
  }

  void writeTimeline(Path dir) throws IOException {
    long[][] counts = perSecond();
    StringBuilder csv = new StringBuilder("second,ok,failed,faults\n");
    for (int s = 0; s < counts.length; s++) {
      csv.append(s).append(',').append(counts[s][0]).append(',').append(counts[s][1]).append(',')
          .append(log.label(startMillis + s * 1000L)).append('\n');
    }
    Files.writeString(dir.resolve("timeline.csv"), csv);
    Files.writeString(dir.resolve("timeline.svg"), svg(counts));
  }

  private String svg(long[][] counts) {
    int barWidth = counts.length > 900 ? 1 : counts.length > 300 ? 2 : 4;
    int height = 200;
    int width = Math.max(200, counts.length * barWidth) + 60;
    long max = 1;
    for (long[] c : counts) max = Math.max(max, c[0] + c[1]);
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"10\">%n",
        width, height + 60));
    svg.append("<title>raftkv torture: operations per second (green ok, red failed), fault windows shaded</title>\n");
    for (FaultLog.Window w : log.windows()) {
      double x0 = 40 + (w.startMillis - startMillis) / 1000.0 * barWidth;
      double x1 = 40 + (Math.min(w.endMillis(), endMillis) - startMillis) / 1000.0 * barWidth;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%.1f\" y=\"10\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.25\"><title>%s %s</title></rect>%n",
          x0, Math.max(1, x1 - x0), height, color(w.kind), w.kind, escape(w.detail)));
    }
    for (int s = 0; s < counts.length; s++) {
      double ok = (double) counts[s][0] / max * height;
      double failed = (double) counts[s][1] / max * height;
      int x = 40 + s * barWidth;
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#2a2\"/>",
          x, 10 + height - ok, barWidth, ok));
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#d22\"/>%n",
          x, 10 + height - ok - failed, barWidth, failed));
    }
    svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"18\">%d/s</text><text x=\"40\" y=\"%d\">0 s</text>"
        + "<text x=\"%d\" y=\"%d\">%d s</text>%n", max, height + 24, 40 + counts.length * barWidth - 30, height + 24,
        counts.length));
    int lx = 40;
    for (String kind : TortureNemesis.KINDS) {
      svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\" opacity=\"0.4\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, height + 36, color(kind), lx + 13, height + 45, kind));
      lx += 95;
    }
    return svg.append("</svg>\n").toString();
  }

  private static String color(String kind) {
    return switch (kind) {
      case "kill9" -> "#e41a1c";
      case "pause" -> "#377eb8";
      case "isolate" -> "#4daf4a";
      case "one-way" -> "#984ea3";
      case "partition" -> "#ff7f00";
      case "leader-transfer" -> "#a6a600";
      case "membership" -> "#a65628";
      default -> "#f781bf";
    };
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
