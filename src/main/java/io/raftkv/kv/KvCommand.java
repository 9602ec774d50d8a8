package io.raftkv.kv;

import java.util.Objects;

/**
 * A write replicated through the Raft log (encoded with {@link KvCommandCodec}). Every command carries a
 * client request id, {@code (clientId, sequence)}, so that a retried proposal is applied at most once
 * (Raft thesis §6.3; see {@link KvStateMachine} for the exact rules).
 *
 * <p>Usage for proposers: pick a random {@code clientId} per session (e.g. per {@code RaftKvService}
 * instance, or per request) and number its commands {@code 1, 2, 3...}; re-propose a retry with the
 * <em>same</em> id and the same command. At most {@link KvStateMachine.Limits#window()} commands of one
 * client should be outstanding at once. {@code clientId == 0} opts out of deduplication.
 */
public sealed interface KvCommand
    permits KvCommand.Put, KvCommand.Delete, KvCommand.Transaction, KvCommand.Idempotent, KvCommand.Expire {

  long clientId();

  long sequence();

  /** The command to execute: itself, or the wrapped one of an {@link Idempotent}. */
  default KvCommand unwrapped() {
    return this;
  }

  /**
   * Put (create or replace) {@code key = value} if {@code condition} holds. {@code ttlSeconds > 0} gives
   * the key a time to live (at most {@link #MAX_TTL_SECONDS}); 0 means none, and clears a previous one.
   */
  record Put(long clientId, long sequence, String key, String value, Condition condition, long ttlSeconds)
      implements KvCommand {
    /** One year: the longest TTL a put may ask for (the API documents the same bound). */
    public static final long MAX_TTL_SECONDS = 31_536_000;

    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(condition.kind(), "condition kind");
      if (condition.kind() == Condition.Kind.VALUE_EQUALS) Objects.requireNonNull(condition.value(), "condition value");
      if (ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
        throw new IllegalArgumentException("ttl must be 1.." + MAX_TTL_SECONDS + " seconds (0: none): " + ttlSeconds);
      }
      checkSequence(clientId, sequence);
    }

    /** A put without a TTL. */
    public Put(long clientId, long sequence, String key, String value, Condition condition) {
      this(clientId, sequence, key, value, condition, 0);
    }

    /** An unconditional put without a TTL. */
    public Put(long clientId, long sequence, String key, String value) {
      this(clientId, sequence, key, value, Condition.NONE, 0);
    }
  }

  /** Delete {@code key}; applying it to an absent key yields {@link KvResult.NotFound}. */
  record Delete(long clientId, long sequence, String key) implements KvCommand {
    public Delete {
      Objects.requireNonNull(key, "key");
      checkSequence(clientId, sequence);
    }
  }

  /** Runs a {@link Txn} atomically at this entry's index. */
  record Transaction(long clientId, long sequence, Txn txn) implements KvCommand {
    public Transaction {
      Objects.requireNonNull(txn, "txn");
      checkSequence(clientId, sequence);
    }
  }

  /**
   * {@code command} carrying a client's {@code Idempotency-Key}: the state machine applies it once per
   * key within its window and answers a retry with the same content with the first result (see
   * {@link IdempotencyRecords}). The request id is the wrapped command's.
   */
  record Idempotent(String idempotencyKey, KvCommand command) implements KvCommand {
    public Idempotent {
      Objects.requireNonNull(idempotencyKey, "idempotencyKey");
      Objects.requireNonNull(command, "command");
      if (command instanceof Idempotent) throw new IllegalArgumentException("nested idempotency keys");
      if (command instanceof Expire) throw new IllegalArgumentException("an expire is the leader's, never a client's");
    }

    @Override
    public long clientId() {
      return command.clientId();
    }

    @Override
    public long sequence() {
      return command.sequence();
    }

    @Override
    public KvCommand unwrapped() {
      return command;
    }
  }

  /**
   * Deletes each listed key whose TTL ran out, as the leader's {@link ExpiryTicker} saw it: a key is
   * deleted only if it still has a TTL and still has the listed mod revision, so a write that raced the
   * expiry wins. Not deduplicated (no request id): applying it twice changes nothing the second time.
   * At most {@link #MAX_KEYS} keys.
   */
  record Expire(java.util.List<Due> keys) implements KvCommand {
    /** Keys one expire command may carry, so one entry stays small and quick to apply. */
    public static final int MAX_KEYS = 128;

    public Expire {
      keys = java.util.List.copyOf(keys);
      if (keys.isEmpty() || keys.size() > MAX_KEYS) {
        throw new IllegalArgumentException("an expire carries 1.." + MAX_KEYS + " keys: " + keys.size());
      }
    }

    @Override
    public long clientId() {
      return 0;
    }

    @Override
    public long sequence() {
      return 0;
    }
  }

  /** A key the ticker found past its deadline, with the mod revision whose TTL ran out. */
  record Due(String key, long modRevision) {
    public Due {
      Objects.requireNonNull(key, "key");
      if (modRevision <= 0) throw new IllegalArgumentException("modRevision must be positive: " + modRevision);
    }
  }

  private static void checkSequence(long clientId, long sequence) {
    if (clientId != 0 && sequence <= 0) throw new IllegalArgumentException("sequence must be positive: " + sequence);
  }
}
