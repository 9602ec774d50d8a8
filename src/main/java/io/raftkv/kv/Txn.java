package io.raftkv.kv;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A transaction: if every compare holds, the {@code success} ops run, else the {@code failure} ops, all
 * within one log entry (so atomically, at one revision: the entry's index). Ops run in order and see
 * the earlier ops of the same branch. A branch may write a key at most once (as in etcd), so each key
 * changes at most once per revision. The record checks the format's hard caps ({@link #MAX_COMPARES},
 * {@link #MAX_OPS}); the HTTP boundary enforces smaller limits.
 */
public record Txn(List<Compare> compares, List<Op> success, List<Op> failure) {
  /** Hard caps of the replicated format. */
  public static final int MAX_COMPARES = 10_000;
  public static final int MAX_OPS = 10_000;

  public Txn {
    compares = List.copyOf(compares);
    success = List.copyOf(success);
    failure = List.copyOf(failure);
    if (compares.size() > MAX_COMPARES) throw new IllegalArgumentException("more than " + MAX_COMPARES + " compares");
    checkBranch(success, "success");
    checkBranch(failure, "failure");
  }

  private static void checkBranch(List<Op> ops, String name) {
    if (ops.size() > MAX_OPS) throw new IllegalArgumentException("more than " + MAX_OPS + " ops in " + name);
    Set<String> written = new HashSet<>();
    for (Op op : ops) {
      if (!(op instanceof Get) && !written.add(op.key())) {
        throw new IllegalArgumentException("key '" + op.key() + "' is written more than once in " + name);
      }
    }
  }

  /** What a compare looks at; an absent key has revision, createRevision and version 0 and no value. */
  public enum Target { VALUE, MOD_REVISION, CREATE_REVISION, VERSION, EXISTS }

  /**
   * {@code key}'s {@code target} equals {@code number} (revisions, version; EXISTS: 1 present, 0
   * absent) or {@code value} (VALUE only; an absent key has no value, so never equals one).
   */
  public record Compare(String key, Target target, long number, String value) {
    public Compare {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(target, "target");
      if ((target == Target.VALUE) != (value != null)) throw new IllegalArgumentException("value is for VALUE compares only");
      if (target == Target.EXISTS && number != 0 && number != 1) throw new IllegalArgumentException("exists is 0 or 1");
      if (target == Target.VALUE && number != 0) throw new IllegalArgumentException("a VALUE compare has no number");
    }

    public static Compare value(String key, String value) {
      return new Compare(key, Target.VALUE, 0, value);
    }

    public static Compare number(String key, Target target, long number) {
      return new Compare(key, target, number, null);
    }

    public static Compare exists(String key, boolean exists) {
      return new Compare(key, Target.EXISTS, exists ? 1 : 0, null);
    }

    /** Whether this compare holds for the key's {@code current} state (null when absent). */
    public boolean holds(KvEntry current) {
      return switch (target) {
        case VALUE -> current != null && current.value().equals(value);
        case MOD_REVISION -> (current == null ? 0 : current.modRevision()) == number;
        case CREATE_REVISION -> (current == null ? 0 : current.createRevision()) == number;
        case VERSION -> (current == null ? 0 : current.version()) == number;
        case EXISTS -> (current != null ? 1 : 0) == number;
      };
    }
  }

  /** One operation of a branch. */
  public sealed interface Op permits Put, Delete, Get {
    String key();
  }

  public record Put(String key, String value) implements Op {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Deleting an absent key is not an error: its result says {@code deleted: false}. */
  public record Delete(String key) implements Op {
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  public record Get(String key) implements Op {
    public Get {
      Objects.requireNonNull(key, "key");
    }
  }
}
