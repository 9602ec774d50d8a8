package io.raftkv.raft;

/**
 * Deliberate bugs the simulator and the scenario scripts must catch (their mutation tests). Package-
 * private and absent from {@link RaftConfig}: only test code in this package can switch one on, through
 * {@code RaftNode#deviate}; production code has no way to name them.
 */
enum Deviation {
  /** Commit an entry from an earlier term as soon as a majority stores it (violates Figure 8). */
  COMMIT_PRIOR_TERM_BY_COUNTING,
  /** Answer ReadIndex immediately on the leader without confirming leadership with a quorum. */
  READ_INDEX_WITHOUT_QUORUM_CHECK
}
