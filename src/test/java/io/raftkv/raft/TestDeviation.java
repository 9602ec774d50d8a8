package io.raftkv.raft;

import java.util.Set;

/**
 * The test seam for the core's deliberate bugs ({@link Deviation}, package-private in production
 * code): mutation tests in other packages name them here and switch them on per core.
 */
public enum TestDeviation {
  COMMIT_PRIOR_TERM_BY_COUNTING(Deviation.COMMIT_PRIOR_TERM_BY_COUNTING),
  READ_INDEX_WITHOUT_QUORUM_CHECK(Deviation.READ_INDEX_WITHOUT_QUORUM_CHECK);

  private final Deviation deviation;

  TestDeviation(Deviation deviation) {
    this.deviation = deviation;
  }

  /** Switches the deviations on in {@code node} (a new core, e.g. after a restart, starts clean). */
  public static RaftNode inject(RaftNode node, Set<TestDeviation> deviations) {
    for (TestDeviation d : deviations) node.deviate(d.deviation);
    return node;
  }
}
