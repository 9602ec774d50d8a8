package io.raftkv.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A list of members written as {@code id@host:port,id@host:port} (the format of {@code raftkv.cluster}
 * and {@code raftkv.cluster.http}). Order is kept as written; ids are unique and positive.
 */
public record ClusterSpec(Map<Long, HostPort> members) {

  public static final ClusterSpec EMPTY = new ClusterSpec(Map.of());

  public ClusterSpec {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  /**
   * Parses the comma list; blank text is the empty spec.
   *
   * @param key the configuration key, used only to make error messages point at the culprit
   * @throws IllegalArgumentException naming the key and the bad item
   */
  public static ClusterSpec parse(String key, String text) {
    Map<Long, HostPort> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) return EMPTY;
    for (String raw : text.split(",")) {
      String item = raw.trim();
      if (item.isEmpty()) continue;
      int at = item.indexOf('@');
      if (at < 0) throw bad(key, item, "expected id@host:port");
      long id = parseId(key, item, item.substring(0, at).trim());
      HostPort address;
      try {
        address = HostPort.parse(item.substring(at + 1));
      } catch (IllegalArgumentException e) {
        throw bad(key, item, e.getMessage());
      }
      if (out.putIfAbsent(id, address) != null) throw bad(key, item, "node id " + id + " listed twice");
    }
    return new ClusterSpec(out);
  }

  private static long parseId(String key, String item, String idText) {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      throw bad(key, item, "node id '" + idText + "' is not a number");
    }
    if (id <= 0) throw bad(key, item, "node id must be positive");
    return id;
  }

  private static IllegalArgumentException bad(String key, String item, String why) {
    return new IllegalArgumentException(key + ": bad member '" + item + "': " + why);
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  public Set<Long> ids() {
    return members.keySet();
  }

  public HostPort address(long id) {
    return members.get(id);
  }
}
