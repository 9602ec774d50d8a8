package io.raftkv.kv;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Txn} did: which branch ran ({@code succeeded} = the compares held), the revision it
 * ran at (its log index, the revision of all its writes) and one result per op of that branch.
 */
public record TxnOutcome(boolean succeeded, long revision, List<OpResult> results) {
  public TxnOutcome {
    results = List.copyOf(results);
  }

  /** The result of one op. */
  public sealed interface OpResult permits PutResult, DeleteResult, GetResult {
    String key();
  }

  /** The key now has {@code revision} (the txn's) and {@code version}. */
  public record PutResult(String key, long revision, long version) implements OpResult {
    public PutResult {
      Objects.requireNonNull(key, "key");
    }
  }

  /** {@code deleted} is false when the key did not exist. */
  public record DeleteResult(String key, boolean deleted) implements OpResult {
    public DeleteResult {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The key's state at that point of the txn; {@code entry} is null when absent. */
  public record GetResult(String key, KvEntry entry) implements OpResult {
    public GetResult {
      Objects.requireNonNull(key, "key");
    }
  }
}
