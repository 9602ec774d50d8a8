package io.raftkv.raft;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Messages exchanged between Raft peers, and the driver's feedback to its own core ({@link #LOCAL}:
 * {@code HUP}, {@code UNREACHABLE}, {@code SNAPSHOT_STATUS}), which enters the core through the same
 * {@code step} as everything a peer says, as in etcd's RawNode. Local messages never go on the wire:
 * the core never sends one, and {@link RaftNode#step} refuses one from outside.
 */
public enum MessageType {
  /** Leader → follower: entries after (index, logTerm), and the leader's commit. */
  APPEND,
  /** Follower → leader: {@code index} = last matching index, or reject with hints. */
  APPEND_RESPONSE,
  /** Leader → follower: keep-alive with commit; {@code context} carries a pending ReadIndex round. */
  HEARTBEAT,
  HEARTBEAT_RESPONSE,
  /** Candidate → voter, {@code term} is the term it will campaign in, (index, logTerm) its last entry. */
  PRE_VOTE,
  PRE_VOTE_RESPONSE,
  VOTE,
  VOTE_RESPONSE,
  /** Leader → follower whose next entry was compacted: install the snapshot in {@code snapshot}. */
  SNAPSHOT,
  /** Follower → leader: a ReadIndex request ({@code context} = request id). */
  READ_INDEX,
  /** Leader → follower: answer with {@code index} = read index; reject when not servable. */
  READ_INDEX_RESPONSE,
  /** Leader → transfer target: campaign now, skipping PreVote and lease checks. */
  TIMEOUT_NOW,
  /** Local: start an election now (the election timer fired, or the driver asked). */
  HUP,
  /** Local, {@code from} = the peer: the driver could not deliver to it. */
  UNREACHABLE,
  /** Local, {@code from} = the peer: outcome of streaming it a snapshot ({@code reject} = failed). */
  SNAPSHOT_STATUS;

  /** Types that only the driver produces for its own core; never sent to or accepted from a peer. */
  public static final Set<MessageType> LOCAL = Collections.unmodifiableSet(EnumSet.of(HUP, UNREACHABLE, SNAPSHOT_STATUS));

  public boolean isLocal() {
    return LOCAL.contains(this);
  }
}
