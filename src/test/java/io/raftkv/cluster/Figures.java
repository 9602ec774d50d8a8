package io.raftkv.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Measured numbers of a cluster test run, printed and written to {@code figures.txt} beside the logs. */
final class Figures {
  private final Map<String, String> figures = new LinkedHashMap<>();

  synchronized void add(String name, Duration duration) {
    add(name, millis(duration));
  }

  synchronized void add(String name, String value) {
    figures.put(name, value);
    System.out.println("[cluster-it] " + name + ": " + value);
  }

  /** Adds every sample and their median. */
  synchronized void addSamples(String name, List<Duration> samples) {
    List<Duration> sorted = new ArrayList<>(samples);
    sorted.sort(null);
    String all = sorted.stream().map(Figures::millis).toList().toString();
    String median = sorted.isEmpty() ? "n/a" : millis(sorted.get(sorted.size() / 2));
    add(name, "median " + median + " of " + samples.size() + " " + all);
  }

  synchronized void write(Path file) {
    StringBuilder out = new StringBuilder();
    figures.forEach((name, value) -> out.append(name).append(": ").append(value).append(System.lineSeparator()));
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String millis(Duration duration) {
    return duration.toMillis() + " ms";
  }
}
