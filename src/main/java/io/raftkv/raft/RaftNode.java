package io.raftkv.raft;

import java.util.random.RandomGenerator;

/**
 * The Raft core: a deterministic, single-threaded state machine (see package docs). Not thread-safe;
 * one driver thread calls everything.
 */
public final class RaftNode {

  /**
   * Creates a core over the durable state in {@code log}. A brand-new cluster member starts with a log
   * whose snapshot conf (or, if none, {@code bootstrap}) names the initial voters; a restarted node
   * recovers term, vote, commit and membership from {@code log} and ignores {@code bootstrap}.
   */
  public RaftNode(RaftConfig config, LogView log, ConfState bootstrap, RandomGenerator random) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Advances logical time by one tick (elections, heartbeats, CheckQuorum, lease). */
  public void tick() { throw new UnsupportedOperationException(); }

  /** Feeds a message from a peer. Messages for other nodes or from unknown terms are handled per Raft. */
  public void step(Message m) { throw new UnsupportedOperationException(); }

  /**
   * Appends a command to the leader's log.
   *
   * @return the index the entry got (its term is the current term); the command is committed when an
   *     entry with that index and term is delivered in {@link Ready#committedEntries()}
   * @throws ProposalRejectedException if not leader, transferring, or over the uncommitted limit
   */
  public long propose(byte[] data) { throw new UnsupportedOperationException(); }

  /**
   * Proposes a single-server membership change.
   *
   * @return the index of the CONF_CHANGE entry
   * @throws ProposalRejectedException if not leader, another change is pending, or the change is invalid
   */
  public long proposeConfChange(ConfChange change) { throw new UnsupportedOperationException(); }

  /**
   * Requests a linearizable read point. The answer arrives as a {@link ReadState} with the same context
   * in a later Ready. With {@code lease} true the leader may answer from its lease without a quorum
   * round (only when CheckQuorum is on and the lease, minus the drift margin, still holds).
   * Followers forward the request to the leader.
   *
   * @throws ProposalRejectedException NOT_LEADER when no leader is known
   */
  public void readIndex(byte[] context, boolean lease) { throw new UnsupportedOperationException(); }

  /** Starts a leadership transfer to {@code transferee} (TimeoutNow once it is caught up). */
  public void transferLeadership(long transferee) { throw new UnsupportedOperationException(); }

  /** The driver could not deliver to {@code peer}; the leader falls back to probing it. */
  public void reportUnreachable(long peer) { throw new UnsupportedOperationException(); }

  /** Outcome of streaming a snapshot to {@code peer}. */
  public void reportSnapshot(long peer, boolean success) { throw new UnsupportedOperationException(); }

  /**
   * Tells the core the application compacted the durable log up to a new snapshot (already visible
   * through {@link LogView#snapshot()}), so it stops referring to compacted entries.
   */
  public void onCompacted(SnapshotMeta snapshot) { throw new UnsupportedOperationException(); }

  public boolean hasReady() { throw new UnsupportedOperationException(); }

  /** Collects pending work. Call {@link #advance(Ready)} after handling it, before the next ready(). */
  public Ready ready() { throw new UnsupportedOperationException(); }

  /** Acknowledges that everything in {@code ready} was persisted, sent and applied. */
  public void advance(Ready ready) { throw new UnsupportedOperationException(); }

  public Status status() { throw new UnsupportedOperationException(); }
}
