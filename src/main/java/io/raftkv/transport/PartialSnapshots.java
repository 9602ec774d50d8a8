package io.raftkv.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What aborted InstallSnapshot transfers left on this node, so the sender can resume instead of
 * starting over: at most one partial file per sender, for exactly one snapshot (index, term and file
 * size; a leader's committed snapshot file never changes). A new transfer of anything else from that
 * sender deletes it. Thread-safe.
 */
final class PartialSnapshots {
  private static final Logger LOG = Logger.getLogger(PartialSnapshots.class.getName());

  /** Which file a partial belongs to. */
  record Key(long sender, long index, long term, long fileBytes) {}

  /** A kept prefix: {@code bytes} of the file are in {@code path}, forced to disk. */
  record Partial(Key key, Path path, long bytes) {}

  private final Map<Long, Partial> bySender = new HashMap<>();

  /** Bytes kept for exactly {@code key} (0 if none); a partial of another snapshot from that sender is dropped. */
  synchronized long resumePoint(Key key) {
    Partial p = bySender.get(key.sender());
    if (p == null) return 0;
    if (!p.key().equals(key) || !Files.exists(p.path())) {
      drop(key.sender());
      return 0;
    }
    return p.bytes();
  }

  /** Removes and returns the partial a resuming transfer continues, if it matches {@code key} and {@code offset}. */
  synchronized Partial take(Key key, long offset) {
    Partial p = bySender.remove(key.sender());
    if (p == null) return null;
    if (p.key().equals(key) && p.bytes() == offset) return p;
    delete(p.path());
    return null;
  }

  /** Keeps {@code path} (forced, {@code bytes} long) for a later resume, replacing the sender's previous one. */
  synchronized void keep(Partial partial) {
    Partial previous = bySender.put(partial.key().sender(), partial);
    if (previous != null && !previous.path().equals(partial.path())) delete(previous.path());
  }

  /** Deletes the sender's partial, if any (a fresh transfer from it started). */
  synchronized void drop(long sender) {
    Partial p = bySender.remove(sender);
    if (p != null) delete(p.path());
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete partial snapshot " + path, e);
    }
  }
}
