package io.raftkv.kv;

/**
 * Told by the apply thread about every applied change, in log order (the watch feed). Implementations
 * must not block: they run inside apply.
 */
public interface ChangeListener {
  ChangeListener NONE = new ChangeListener() {
    @Override
    public void changed(long revision, String key, String valueOrNull) {}

    @Override
    public void restored(long snapshotIndex) {}
  };

  /** {@code key} was put ({@code valueOrNull} non-null) or deleted ({@code null}) at {@code revision}. */
  void changed(long revision, String key, String valueOrNull);

  /** The whole state was replaced by a snapshot at {@code snapshotIndex}. */
  void restored(long snapshotIndex);
}
