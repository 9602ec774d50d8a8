package io.raftkv.kv.watch;

/** A watcher asked for events older than the kept history: the API answers 410 with {@link #oldestRevision()}. */
public final class HistoryCompactedException extends Exception {
  private final long oldestRevision;

  public HistoryCompactedException(long requested, long oldestRevision) {
    super("revision " + requested + " is no longer kept; oldest available revision is " + oldestRevision);
    this.oldestRevision = oldestRevision;
  }

  public long oldestRevision() {
    return oldestRevision;
  }
}
