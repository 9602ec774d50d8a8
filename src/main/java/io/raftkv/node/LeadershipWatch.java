package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.raft.HardState;
import io.raftkv.raft.Ready;
import io.raftkv.raft.Role;

/**
 * Counts leader changes and elections from the Readies the loop handles. A new term in which this
 * node voted for itself is an election it started (the core votes for itself only when campaigning,
 * and a pre-vote does not raise the term). Loop thread only.
 */
final class LeadershipWatch {
  private final long self;
  private final NodeCounters counters;
  private long lastTerm;
  private long lastLeader;

  LeadershipWatch(long self, long persistedTerm, NodeCounters counters) {
    this.self = self;
    this.lastTerm = persistedTerm;
    this.counters = counters;
  }

  void onReady(Ready rd) {
    HardState hs = rd.hardState();
    if (hs != null && hs.term() > lastTerm) {
      if (hs.vote() == self) counters.electionStarted();
      lastTerm = hs.term();
    }
    if (rd.softState() != null) {
      long leader = rd.softState().role() == Role.LEADER ? self : rd.softState().leader();
      if (leader != 0 && leader != lastLeader) {
        counters.leaderChanged();
        lastLeader = leader;
      }
    }
  }
}
