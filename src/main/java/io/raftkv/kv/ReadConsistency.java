package io.raftkv.kv;

/** How fresh a read must be. */
public enum ReadConsistency {
  /** ReadIndex through the leader: linearizable. Default. */
  LINEARIZABLE,
  /** Leader lease: linearizable while clocks drift less than the configured bound; no quorum round. */
  LEASE,
  /** Local state of whichever node serves the request: may be stale, never waits for the leader. */
  STALE
}
