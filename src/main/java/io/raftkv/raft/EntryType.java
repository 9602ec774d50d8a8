package io.raftkv.raft;

/** What a log entry carries. */
public enum EntryType {
  /** Application command (or, with empty data, a leader's no-op). */
  NORMAL,
  /** A membership change; data is an encoded {@link ConfChange}. */
  CONF_CHANGE
}
