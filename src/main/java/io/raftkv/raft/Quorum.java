package io.raftkv.raft;

import java.util.Arrays;
import java.util.Map;

/** Majority arithmetic over a set of voters. */
final class Quorum {
  private Quorum() {}

  enum VoteResult { PENDING, WON, LOST }

  static int majority(int voters) {
    if (voters < 0) throw Invariants.violated("negative voter count " + voters);
    return voters / 2 + 1;
  }

  /**
   * The largest value that a majority of {@code values} (one per voter) is at least: for match
   * indexes that is the commit index, for heartbeat-ack ticks the lease start. Sorts in place.
   * Returns 0 for an empty configuration.
   */
  static long majorityValue(long[] values, int n) {
    if (n < 0 || n > values.length) throw Invariants.violated("majority of " + n + " values out of " + values.length);
    if (n == 0) return 0;
    Arrays.sort(values, 0, n);
    return values[n - majority(n)];
  }

  /** Tally of granted/rejected votes among {@code voters}; absent voters have not answered yet. */
  static VoteResult voteResult(long[] voters, Map<Long, Boolean> votes) {
    if (voters.length == 0) return VoteResult.LOST;
    int granted = 0;
    int missing = 0;
    for (long v : voters) {
      Boolean b = votes.get(v);
      if (b == null) missing++;
      else if (b) granted++;
    }
    int q = majority(voters.length);
    if (granted + missing > voters.length) throw Invariants.violated("more answers than voters");
    if (granted >= q) return VoteResult.WON;
    if (granted + missing >= q) return VoteResult.PENDING;
    return VoteResult.LOST;
  }

  /** Whether the ids in {@code acked} include a majority of {@code voters}. */
  static boolean hasQuorum(long[] voters, java.util.Set<Long> acked) {
    int n = 0;
    for (long v : voters) if (acked.contains(v)) n++;
    return voters.length > 0 && n >= majority(voters.length);
  }
}
