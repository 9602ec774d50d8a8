package io.raftkv.storage;

/**
 * Tuning of a {@link JeLogStore}.
 *
 * @param jeCacheBytes          JE's B-tree cache (bounded so a node's heap stays predictable)
 * @param jeLogFileBytes        size of each JE {@code .jdb} file; the cleaner reclaims whole files, so
 *                              smaller files give compacted space back sooner
 * @param entryCacheBytes       in-memory tail of recent entries served without touching JE
 * @param cleanerMinUtilization JE cleaner target: files below this % of live data are rewritten/deleted
 */
public record StoreOptions(long jeCacheBytes, long jeLogFileBytes, long entryCacheBytes, int cleanerMinUtilization) {

  public static final StoreOptions DEFAULT = new StoreOptions(64L << 20, 16L << 20, 16L << 20, 50);

  public StoreOptions {
    if (jeCacheBytes < (1L << 20)) throw new IllegalArgumentException("JE cache must be at least 1 MiB");
    if (jeLogFileBytes < 1_000_000L) throw new IllegalArgumentException("JE log files must be at least 1 MB");
    if (entryCacheBytes < 0) throw new IllegalArgumentException("negative entry cache size");
    if (cleanerMinUtilization < 1 || cleanerMinUtilization > 90) {
      throw new IllegalArgumentException("cleaner utilization must be in 1..90");
    }
  }

  public StoreOptions withEntryCacheBytes(long bytes) {
    return new StoreOptions(jeCacheBytes, jeLogFileBytes, bytes, cleanerMinUtilization);
  }

  public StoreOptions withJeLogFileBytes(long bytes) {
    return new StoreOptions(jeCacheBytes, bytes, entryCacheBytes, cleanerMinUtilization);
  }
}
