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

  /**
   * {@code key} was deleted at {@code revision} because its TTL ran out (an expire entry): a delete
   * like {@link #changed} with a null value, which listeners may mark as an expiry.
   */
  default void expired(long revision, String key) {
    changed(revision, key, null);
  }

  /** The whole state was replaced by a snapshot at {@code snapshotIndex}. */
  void restored(long snapshotIndex);
}
