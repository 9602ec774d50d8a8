package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Txn} against a tree inside the apply of one log entry: evaluates every compare on the
 * state before the txn, then runs the chosen branch's ops in order, all writes at revision
 * {@code index}. Pure apart from telling {@code changes} about each write (in op order) once the
 * whole txn is known to apply.
 */
final class TxnApply {
  /**
   * Hard cap on the keys and values a txn's results carry, in chars (UTF-16 units, so the check is
   * cheap and identical everywhere): its result travels back to a forwarding follower and is
   * remembered for retries, so it must stay far below the message and snapshot limits.
   */
  static final int MAX_RESULT_CHARS = 2 << 20;

  /** The tree after the txn and its result: {@link KvResult.TxnDone}, or a rejection that changed nothing. */
  record Done(KvTree tree, KvResult result) {}

  private TxnApply() {}

  static Done run(KvTree before, long index, Txn txn, ChangeListener changes) {
    boolean succeeded = true;
    for (Txn.Compare compare : txn.compares()) {
      if (!compare.holds(before.get(compare.key()))) {
        succeeded = false;
        break;
      }
    }
    KvTree tree = before;
    List<TxnOutcome.OpResult> results = new ArrayList<>();
    long resultChars = 0;
    List<Runnable> notifications = new ArrayList<>();
    for (Txn.Op op : succeeded ? txn.success() : txn.failure()) {
      KvEntry current = tree.get(op.key());
      resultChars += op.key().length() + (op instanceof Txn.Get && current != null ? current.value().length() : 0);
      if (resultChars > MAX_RESULT_CHARS) {
        return new Done(before, new KvResult.Rejected("the txn's results would exceed " + MAX_RESULT_CHARS
            + " characters of keys and values; read fewer or smaller keys"));
      }
      if (op instanceof Txn.Put put) {
        KvEntry next = written(current, put.key(), put.value(), index);
        tree = tree.with(next);
        notifications.add(() -> changes.changed(index, next.key(), next.value()));
        results.add(new TxnOutcome.PutResult(next.key(), next.modRevision(), next.version()));
      } else if (op instanceof Txn.Delete) {
        if (current != null) {
          tree = tree.without(op.key());
          notifications.add(() -> changes.changed(index, op.key(), null));
        }
        results.add(new TxnOutcome.DeleteResult(op.key(), current != null));
      } else {
        results.add(new TxnOutcome.GetResult(op.key(), current));
      }
    }
    notifications.forEach(Runnable::run); // only once the txn is certain to apply
    return new Done(tree, new KvResult.TxnDone(new TxnOutcome(succeeded, index, results)));
  }

  /** The entry {@code key = value} written at {@code revision} over {@code current} (null: a creation). */
  static KvEntry written(KvEntry current, String key, String value, long revision) {
    return current == null
        ? new KvEntry(key, value, revision, revision, 1)
        : new KvEntry(key, value, current.createRevision(), revision, current.version() + 1);
  }
}
