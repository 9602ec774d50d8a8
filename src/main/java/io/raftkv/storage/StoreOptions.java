package io.raftkv.storage;

/**
 * Tuning of a {@link JeLogStore}.
 *
 * @param jeCacheBytes          JE's B-tree cache (bounded so a node's heap stays predictable)
 * @param jeLogFileBytes        size of each JE {@code .jdb} file; the cleaner reclaims whole files, so
 *                              smaller files give compacted space back sooner
 * @param entryCacheBytes       in-memory tail of recent entries served without touching JE
 * @param cleanerMinUtilization JE cleaner target: files below this % of live data are rewritten/deleted
 * @param freeDiskBytes         JE's {@code je.freeDisk}: writes are refused ({@link DiskLimitReachedException})
 *                              while the file system has less than this free; {@code raftkv.storage.free.disk.bytes}
 * @param maxDiskBytes          JE's {@code je.maxDisk}: writes are refused once JE's files would exceed this
 *                              minus {@code freeDiskBytes}; 0 means no cap; {@code raftkv.storage.max.disk.bytes}
 */
public record StoreOptions(long jeCacheBytes, long jeLogFileBytes, long entryCacheBytes, int cleanerMinUtilization,
    long freeDiskBytes, long maxDiskBytes) {

  /**
   * 512 MiB of headroom instead of JE's 5 GB: JE's default is sized for a server whose disk is JE's
   * alone, and on a developer machine or a CI runner with a few GB free it refused every write of every
   * node at once. 512 MiB still leaves room for the cleaner (which needs free space to rewrite the live
   * records of 16 MB files before it can delete them), a checkpoint, the snapshot files written beside
   * the environment and the node's own logs. docs/operations.md, "Disk space", says how to size it.
   */
  public static final long DEFAULT_FREE_DISK_BYTES = 512L << 20;

  public static final StoreOptions DEFAULT =
      new StoreOptions(64L << 20, 16L << 20, 4L << 20, 50, DEFAULT_FREE_DISK_BYTES, 0);

  public StoreOptions {
    if (jeCacheBytes < (1L << 20)) throw new IllegalArgumentException("JE cache must be at least 1 MiB");
    if (jeLogFileBytes < 1_000_000L) throw new IllegalArgumentException("JE log files must be at least 1 MB");
    if (entryCacheBytes < 0) throw new IllegalArgumentException("negative entry cache size");
    if (cleanerMinUtilization < 1 || cleanerMinUtilization > 90) {
      throw new IllegalArgumentException("cleaner utilization must be in 1..90");
    }
    if (freeDiskBytes < 0) throw new IllegalArgumentException("negative free disk limit");
    if (maxDiskBytes < 0) throw new IllegalArgumentException("negative max disk limit");
    if (maxDiskBytes > 0 && maxDiskBytes <= freeDiskBytes) {
      throw new IllegalArgumentException("the max disk limit (" + maxDiskBytes
          + ") must be above the free disk limit (" + freeDiskBytes + "): JE reserves the free limit out of it");
    }
  }

  /** The tuning of {@link #DEFAULT} with four parameters (no disk limits of its own: the defaults'). */
  public StoreOptions(long jeCacheBytes, long jeLogFileBytes, long entryCacheBytes, int cleanerMinUtilization) {
    this(jeCacheBytes, jeLogFileBytes, entryCacheBytes, cleanerMinUtilization, DEFAULT_FREE_DISK_BYTES, 0);
  }

  public StoreOptions withEntryCacheBytes(long bytes) {
    return new StoreOptions(jeCacheBytes, jeLogFileBytes, bytes, cleanerMinUtilization, freeDiskBytes, maxDiskBytes);
  }

  public StoreOptions withJeLogFileBytes(long bytes) {
    return new StoreOptions(jeCacheBytes, bytes, entryCacheBytes, cleanerMinUtilization, freeDiskBytes, maxDiskBytes);
  }

  /** With JE's {@code je.freeDisk} and {@code je.maxDisk} (0: no cap on JE's own files). */
  public StoreOptions withDiskLimits(long freeBytes, long maxBytes) {
    return new StoreOptions(jeCacheBytes, jeLogFileBytes, entryCacheBytes, cleanerMinUtilization, freeBytes, maxBytes);
  }
}
