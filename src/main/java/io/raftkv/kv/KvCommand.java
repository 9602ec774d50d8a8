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
    permits KvCommand.Put, KvCommand.Delete, KvCommand.Transaction, KvCommand.Idempotent {

  long clientId();

  long sequence();

  /** The command to execute: itself, or the wrapped one of an {@link Idempotent}. */
  default KvCommand unwrapped() {
    return this;
  }

  /** Put (create or replace) {@code key = value} if {@code condition} holds. */
  record Put(long clientId, long sequence, String key, String value, Condition condition) implements KvCommand {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(condition, "condition");
      Objects.requireNonNull(condition.kind(), "condition kind");
      if (condition.kind() == Condition.Kind.VALUE_EQUALS) Objects.requireNonNull(condition.value(), "condition value");
      checkSequence(clientId, sequence);
    }

    /** An unconditional put. */
    public Put(long clientId, long sequence, String key, String value) {
      this(clientId, sequence, key, value, Condition.NONE);
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

  private static void checkSequence(long clientId, long sequence) {
    if (clientId != 0 && sequence <= 0) throw new IllegalArgumentException("sequence must be positive: " + sequence);
  }
}
