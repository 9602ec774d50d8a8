package io.raftkv.node;

import io.raftkv.storage.StoreOptions;
import io.raftkv.transport.PeerTls;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** Typed reads of string config values that collect every error instead of stopping at the first. */
final class ConfigReader {
  private final Function<String, Optional<String>> lookup;
  private final List<String> errors = new ArrayList<>();

  ConfigReader(Function<String, Optional<String>> lookup) {
    this.lookup = lookup;
  }

  private Optional<String> raw(String key) {
    return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** A whole number; {@code fallback == null} makes the key required. Returns 0 after an error. */
  long longValue(String key, Long fallback) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) {
      if (fallback == null) errors.add(key + " is required");
      return fallback == null ? 0 : fallback;
    }
    try {
      long n = Long.parseLong(v.get());
      if (n > Integer.MAX_VALUE && !key.equals(NodeConfig.NODE_ID) && !key.equals(NodeConfig.SNAPSHOT_THRESHOLD)
          && !key.equals(NodeConfig.LOG_RETAIN)) {
        errors.add(key + " is too large: " + v.get());
        return 0;
      }
      return n;
    } catch (NumberFormatException e) {
      errors.add(key + " must be a whole number but is '" + v.get() + "'");
      return fallback == null ? 0 : fallback;
    }
  }

  boolean bool(String key, boolean fallback) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) return fallback;
    switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default:
        errors.add(key + " must be true or false but is '" + v.get() + "'");
        return fallback;
    }
  }

  HostPort address(String key, boolean required) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) {
      if (required) errors.add(key + " is required (host:port)");
      return null;
    }
    try {
      return HostPort.parse(v.get());
    } catch (IllegalArgumentException e) {
      errors.add(key + ": " + e.getMessage());
      return null;
    }
  }

  ClusterSpec cluster(String key) {
    try {
      return ClusterSpec.parse(key, raw(key).orElse(""));
    } catch (IllegalArgumentException e) {
      errors.add(e.getMessage());
      return ClusterSpec.EMPTY;
    }
  }

  /** {@code new} (default) or {@code existing}; returns true for existing. */
  boolean clusterState(String key) {
    String v = raw(key).orElse("new").toLowerCase(Locale.ROOT);
    if (v.equals("new")) return false;
    if (v.equals("existing")) return true;
    errors.add(key + " must be 'new' or 'existing' but is '" + v + "'");
    return false;
  }

  Path path(String key) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) {
      errors.add(key + " is required (a directory for the log and snapshots)");
      return null;
    }
    try {
      return Path.of(v.get());
    } catch (InvalidPathException e) {
      errors.add(key + " is not a valid path: " + e.getMessage());
      return null;
    }
  }

  /** A byte count, 0 or more, with an optional binary suffix (k, m, g: KiB, MiB, GiB). */
  long bytes(String key, long fallback) {
    Optional<String> v = raw(key);
    if (v.isEmpty()) return fallback;
    String text = v.get().toLowerCase(Locale.ROOT);
    int shift = switch (text.charAt(text.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    String digits = shift == 0 ? text : text.substring(0, text.length() - 1).trim();
    try {
      long n = Long.parseLong(digits);
      if (n >= 0 && n <= (Long.MAX_VALUE >> shift)) return n << shift;
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(key + " must be a byte count (e.g. 536870912 or 512m) but is '" + v.get() + "'");
    return fallback;
  }

  /** The store's tuning with JE's free-disk and max-disk limits from these keys. */
  StoreOptions diskLimits(String freeKey, String maxKey, StoreOptions base) {
    long free = bytes(freeKey, base.freeDiskBytes());
    long max = bytes(maxKey, base.maxDiskBytes());
    try {
      return base.withDiskLimits(free, max);
    } catch (IllegalArgumentException e) {
      errors.add(maxKey + " (" + max + ") must be 0 (no cap) or above " + freeKey + " (" + free + ")");
      return base;
    }
  }

  /** Reports every collected problem at once so an operator fixes them in one go. */
  void throwIfErrors() {
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid configuration: " + String.join("; ", errors));
    }
  }

  /** Mutual TLS for the peer port: all three files, or none (plaintext). */
  Optional<PeerTls> peerTls(String certKey, String keyKey, String caKey) {
    Optional<String> cert = raw(certKey);
    Optional<String> key = raw(keyKey);
    Optional<String> ca = raw(caKey);
    if (cert.isEmpty() && key.isEmpty() && ca.isEmpty()) return Optional.empty();
    if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
      errors.add(certKey + ", " + keyKey + " and " + caKey + " must be set together (peer mutual TLS)");
      return Optional.empty();
    }
    try {
      return Optional.of(new PeerTls(Path.of(cert.get()), Path.of(key.get()), Path.of(ca.get())));
    } catch (InvalidPathException e) {
      errors.add("a peer TLS path is not valid: " + e.getMessage());
      return Optional.empty();
    }
  }
}
