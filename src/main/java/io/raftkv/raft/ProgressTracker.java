package io.raftkv.raft;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The current membership as seen by the protocol: one {@link Progress} per member (voters and
 * learners), sorted voter ids for deterministic fan-out and quorum math, and the vote tally.
 */
final class ProgressTracker {
  private final int maxInflight;
  private ConfState conf = ConfState.EMPTY;
  private long[] voterIds = new long[0];
  private long[] scratch = new long[0];
  private final TreeMap<Long, Progress> progress = new TreeMap<>();
  private final Map<Long, Boolean> votes = new HashMap<>();

  ProgressTracker(int maxInflight) {
    this.maxInflight = maxInflight;
  }

  ConfState conf() {
    return conf;
  }

  /**
   * Switches to a new membership: keeps progress of remaining members, adds fresh ones probing at
   * nextIndex. Removed members keep their progress (outside every quorum) until
   * {@link #pruneNonMembers()}, so the leader can still deliver the entry that removes them.
   */
  void setConf(ConfState c, long nextIndex) {
    conf = c;
    voterIds = c.voters().stream().mapToLong(Long::longValue).sorted().toArray();
    scratch = new long[voterIds.length];
    for (long id : c.members()) {
      progress.computeIfAbsent(id, k -> {
        Progress p = new Progress(nextIndex, maxInflight);
        p.recentActive = true; // a new member gets a full election timeout before CheckQuorum counts it
        return p;
      });
    }
  }

  /** Forgets members that are no longer in the configuration (their removal has committed). */
  void pruneNonMembers() {
    progress.keySet().retainAll(conf.members());
  }

  void forget(long id) {
    if (!conf.isMember(id)) progress.remove(id);
  }

  boolean isVoter(long id) {
    return conf.voters().contains(id);
  }

  long[] voterIds() {
    return voterIds;
  }

  Progress get(long id) {
    return progress.get(id);
  }

  /** Members in ascending id order. */
  Iterable<Map.Entry<Long, Progress>> all() {
    return progress.entrySet();
  }

  /** Resets every progress as a new leader does: match 0 (self: {@code selfMatch}), probing at nextIndex. */
  void resetForLeader(long self, long nextIndex, long selfMatch) {
    for (Map.Entry<Long, Progress> e : progress.entrySet()) {
      Progress p = new Progress(nextIndex, maxInflight);
      p.recentActive = true;
      if (e.getKey() == self) {
        p.match = selfMatch;
        p.becomeReplicate();
      }
      e.setValue(p);
    }
  }

  /** The highest index a majority of voters has stored. */
  long committedIndex() {
    return majorityOf(p -> p.match);
  }

  long majorityOf(ToLongFunction<Progress> field) {
    int n = 0;
    for (long id : voterIds) {
      Progress p = progress.get(id);
      scratch[n++] = p == null ? 0 : field.applyAsLong(p);
    }
    return Quorum.majorityValue(scratch, n);
  }

  /** CheckQuorum: did a majority of voters talk to us since the last check? Self always counts. */
  boolean quorumActive(long self) {
    int active = 0;
    for (long id : voterIds) {
      Progress p = progress.get(id);
      if (id == self || (p != null && p.recentActive)) active++;
    }
    return voterIds.length > 0 && active >= Quorum.majority(voterIds.length);
  }

  void resetRecentActive(long self) {
    for (Map.Entry<Long, Progress> e : progress.entrySet()) e.getValue().recentActive = e.getKey() == self;
  }

  void resetVotes() {
    votes.clear();
  }

  void recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
  }

  Quorum.VoteResult tally() {
    return Quorum.voteResult(voterIds, votes);
  }
}
