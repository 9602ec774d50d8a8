package io.raftkv.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples of one Prometheus text scrape, keyed by name and labels ({@code raftkv_term},
 * {@code raftkv_peer_match_index{peer="2"}}); MicroProfile's {@code mp_scope} label is dropped.
 */
final class PrometheusText {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+).*$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Double> samples;
  private final Map<String, String> types;

  private PrometheusText(Map<String, Double> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  static PrometheusText parse(String text) {
    Map<String, Double> samples = new HashMap<>();
    Map<String, String> types = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split("\\s+");
        if (parts.length >= 4) types.put(parts[2], parts[3]);
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches()) throw new IllegalArgumentException("not a Prometheus sample: " + line);
      samples.put(key(m.group(1), labels(m.group(3))), Double.parseDouble(m.group(4)));
    }
    return new PrometheusText(samples, types);
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new TreeMap<>();
    if (text == null) return labels;
    Matcher m = LABEL.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals("mp_scope")) labels.put(m.group(1), m.group(2));
    }
    return labels;
  }

  static String key(String name, Map<String, String> labels) {
    if (labels.isEmpty()) return name;
    StringBuilder b = new StringBuilder(name).append('{');
    new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }

  Optional<Double> value(String name) {
    return Optional.ofNullable(samples.get(name));
  }

  Optional<Double> value(String name, String label, String labelValue) {
    return value(name, Map.of(label, labelValue));
  }

  Optional<Double> value(String name, Map<String, String> labels) {
    return Optional.ofNullable(samples.get(key(name, labels)));
  }

  /** Whether any sample has this name (with any labels). */
  boolean hasName(String name) {
    return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
  }

  Optional<String> type(String name) {
    return Optional.ofNullable(types.get(name));
  }
}
