package io.raftkv.storage;

import java.nio.file.Path;

/**
 * Durable state failed an integrity check (bad CRC, undecodable record, gap in the log). The node must
 * stop with this message and never serve the data: it names the environment directory and the record.
 */
public final class CorruptLogException extends RuntimeException {

  public CorruptLogException(Path dir, String record, String problem) {
    this(dir, record, problem, null);
  }

  public CorruptLogException(Path dir, String record, String problem, Throwable cause) {
    super("corrupt raft storage in " + dir + " at " + record + ": " + problem, cause);
  }

  /** Convenience for a log entry record. */
  public static CorruptLogException atIndex(Path dir, long index, String problem, Throwable cause) {
    return new CorruptLogException(dir, "log index " + index, problem, cause);
  }
}
