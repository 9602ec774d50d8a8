package io.raftkv.kv;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * What the HTTP boundary may ask of the replicated store. Every method returns at once; the stage
 * completes when Raft has committed/applied (writes) or when a read point is safe (reads). Failures
 * complete the stage exceptionally with a {@link KvException} subtype that names the HTTP status.
 * Any node serves any call: followers forward writes and ReadIndex requests to the leader.
 */
public interface KvService {

  /** Unconditional put, or compare-and-set when {@code condition} is not {@link Condition#NONE}. */
  CompletionStage<KvEntry> put(String key, String value, Condition condition);

  /** Deletes the key; completes with the delete's revision, or fails with {@link KvException.NotFound}. */
  CompletionStage<Long> delete(String key);

  /** Reads a key at the requested consistency; empty when the key does not exist. */
  CompletionStage<Optional<KvEntry>> get(String key, ReadConsistency consistency);

  /**
   * Reads a range of keys at the requested consistency, as {@link #get} reads one key: one read point
   * (one ReadIndex round for a linearizable read) for the whole range, all of it read from one applied
   * state, whose index is the result's revision.
   */
  CompletionStage<RangeResult> range(RangeQuery query, ReadConsistency consistency);

  /** Current view of the cluster from this node. */
  ClusterView cluster();

  /** Adds a member (as a learner first, promoted when caught up). */
  CompletionStage<ClusterView> addMember(long id, String peerAddress, String httpAddress);

  /** Removes a member (the leader hands off first when it removes itself). */
  CompletionStage<ClusterView> removeMember(long id);

  /** Transfers leadership to {@code to}, or to the most up-to-date voter when empty. */
  CompletionStage<ClusterView> transferLeader(OptionalLong to);
}
