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

  /** Unconditional put, or compare-and-set when {@code condition} is not {@link Condition#NONE}; no TTL. */
  default CompletionStage<KvEntry> put(String key, String value, Condition condition) {
    return put(key, value, condition, 0, null);
  }

  /**
   * {@link #put(String, String, Condition)} giving the key a TTL of {@code ttlSeconds} (1 to
   * {@link KvCommand.Put#MAX_TTL_SECONDS}; 0: none, which also clears a TTL the key had), under a
   * client's idempotency key (null: none). The key is deleted through the log once the TTL has run out
   * (docs/ttl.md); the returned entry carries the granted TTL. A retry with the same idempotency key and
   * content (TTL included) within the window is applied once and answers the first outcome; the same key
   * with other content fails with {@link KvException.IdempotencyMismatch}. (There is deliberately no
   * overload without {@code ttlSeconds} that takes an idempotency key: a caller forwarding a PUT body
   * must not drop its TTL by picking the wrong one.)
   */
  CompletionStage<KvEntry> put(String key, String value, Condition condition, long ttlSeconds, String idempotencyKey);

  /** Deletes the key; completes with the delete's revision, or fails with {@link KvException.NotFound}. */
  default CompletionStage<Long> delete(String key) {
    return delete(key, null);
  }

  /** {@link #delete(String)} under an idempotency key, as for {@link #put(String, String, Condition, String)}. */
  CompletionStage<Long> delete(String key, String idempotencyKey);

  /**
   * Runs a transaction atomically through the log (one entry, even when it only reads, so it is
   * linearizable), optionally under an idempotency key as for puts.
   */
  CompletionStage<TxnOutcome> txn(Txn txn, String idempotencyKey);

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
