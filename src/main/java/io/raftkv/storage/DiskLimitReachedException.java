package io.raftkv.storage;

import java.nio.file.Path;

/**
 * JE refused a write because its disk limits are violated: the file system holding the environment has
 * less than {@link StoreOptions#freeDiskBytes()} free, or JE's files reached
 * {@link StoreOptions#maxDiskBytes()}. Nothing of the refused transaction was written and the store
 * stays usable: the same write succeeds once space is freed (JE re-checks the disk every few seconds and
 * after its cleaner ran). Reads are not affected.
 */
public final class DiskLimitReachedException extends RuntimeException {

  public DiskLimitReachedException(Path home, RuntimeException cause) {
    super("disk limit reached for " + home + ": " + cause.getMessage(), cause);
  }
}
