package io.raftkv.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Bytes a node's data directory holds, for {@code GET /cluster} (a few dozen files: cheap to walk). */
final class DiskUsage {
  private DiskUsage() {}

  /**
   * Bytes of the node's Raft state: JE files and snapshots (complete and incoming). The data directory
   * may hold other things (the launcher puts Payara Micro's root and the node log there).
   */
  static long raftBytes(Path dataDir) {
    long total = 0;
    for (String sub : new String[] {"je", "snapshots", "incoming-snapshots"}) {
      total += Math.max(0, bytesUnder(dataDir.resolve(sub)));
    }
    return total;
  }

  /** Sum of regular files' sizes under {@code dir}; files vanishing during the walk are skipped; -1 on error. */
  static long bytesUnder(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) return -1;
    try (Stream<Path> files = Files.walk(dir)) {
      return files.mapToLong(DiskUsage::sizeOrZero).sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  private static long sizeOrZero(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0; // deleted by the JE cleaner or the snapshot pruner mid-walk
    }
  }
}
