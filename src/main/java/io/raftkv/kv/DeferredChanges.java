package io.raftkv.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds the changes of the entry being applied until {@link KvStateMachine} has published the state
 * that contains them, then tells the real listener. So a watcher that receives the event of revision R
 * and then reads this node at stale consistency sees R (or later), never the state before it. Apply
 * thread only; bounded by the changes of one entry.
 */
final class DeferredChanges implements ChangeListener {
  private record Change(long revision, String key, String valueOrNull, boolean expired) {}

  private final ChangeListener target;
  private final List<Change> pending = new ArrayList<>();

  DeferredChanges(ChangeListener target) {
    this.target = target;
  }

  @Override
  public void changed(long revision, String key, String valueOrNull) {
    pending.add(new Change(revision, key, valueOrNull, false));
  }

  @Override
  public void expired(long revision, String key) {
    pending.add(new Change(revision, key, null, true));
  }

  /** The state containing every pending change is visible to readers now. */
  void flush() {
    if (pending.isEmpty()) return;
    for (Change c : pending) {
      if (c.expired()) target.expired(c.revision(), c.key());
      else target.changed(c.revision(), c.key(), c.valueOrNull());
    }
    pending.clear();
  }

  @Override
  public void restored(long snapshotIndex) {
    if (!pending.isEmpty()) throw new IllegalStateException("restore while changes of an entry are pending");
    target.restored(snapshotIndex);
  }
}
