package io.raftkv.api.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names docs/operations.md documents: the first column of the tables in its "Metrics"
 * section, as they appear in Prometheus text ({@code `raftkv_fsync_seconds_bucket{le}`} documents the
 * name {@code raftkv_fsync_seconds_bucket}).
 */
public final class MetricsDoc {
  public static final Path OPERATIONS = Path.of("docs", "operations.md");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`(raftkv_[a-z_]+)(\\{[^`]*\\})?`");
  /** Every metric name a file mentions (PromQL, dashboard JSON...). */
  private static final Pattern NAME = Pattern.compile("\\braftkv_[a-z_]+");

  private MetricsDoc() {}

  public static Set<String> documentedNames() throws IOException {
    List<String> lines = Files.readAllLines(OPERATIONS);
    Set<String> names = new TreeSet<>();
    boolean inSection = false;
    for (String line : lines) {
      if (line.startsWith("## ")) inSection = line.trim().equals("## Metrics");
      if (!inSection) continue;
      Matcher m = ROW.matcher(line);
      if (m.find()) names.add(m.group(1));
    }
    return names;
  }

  public static Set<String> namesMentionedIn(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(Files.readString(file));
    while (m.find()) names.add(m.group());
    return names;
  }
}
