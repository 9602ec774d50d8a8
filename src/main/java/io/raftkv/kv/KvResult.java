package io.raftkv.kv;

import java.util.Objects;

/**
 * The outcome of applying a {@link KvCommand}, returned by {@link KvStateMachine#apply(long, byte[])}
 * encoded with {@link KvResultCodec} (so it can travel back to a forwarding follower as bytes).
 * Suggested mapping at the boundary is given per variant.
 */
public sealed interface KvResult
    permits KvResult.Ok, KvResult.NotFound, KvResult.PreconditionFailed, KvResult.Expired, KvResult.Rejected,
        KvResult.TxnDone, KvResult.IdempotencyMismatch {

  /**
   * The write happened at {@code revision} (its Raft index). For a put {@code entry} is the key's new
   * state ({@code entry.modRevision() == revision}); for a delete it is null.
   */
  record Ok(KvEntry entry, long revision) implements KvResult {
    public static Ok put(KvEntry entry) {
      return new Ok(Objects.requireNonNull(entry, "entry"), entry.modRevision());
    }

    public static Ok deleted(long revision) {
      return new Ok(null, revision);
    }
  }

  /** Delete of an absent key (HTTP 404). Nothing changed. */
  record NotFound() implements KvResult {}

  /** A put's condition did not hold (HTTP 412); {@code current} is the key's state, null if absent. */
  record PreconditionFailed(KvEntry current) implements KvResult {}

  /**
   * A retry of a request whose remembered outcome was already discarded (the client sent more than the
   * window of newer requests). It was <em>not</em> applied now, but may have been before: HTTP 504.
   */
  record Expired() implements KvResult {}

  /** The entry's bytes are not a valid command (a proposer bug, never a client's): HTTP 400. */
  record Rejected(String reason) implements KvResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A transaction ran (whichever branch: a failed compare is an outcome, not an error): HTTP 200. */
  record TxnDone(TxnOutcome outcome) implements KvResult {
    public TxnDone {
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * The command's idempotency key was already used, within the window, by a request asking for
   * something else (HTTP 422). Nothing was applied.
   */
  record IdempotencyMismatch() implements KvResult {}
}
