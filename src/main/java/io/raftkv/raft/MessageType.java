package io.raftkv.raft;

/** Messages exchanged between Raft peers. Local inputs (tick, propose, ...) are methods, not messages. */
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
  TIMEOUT_NOW
}
