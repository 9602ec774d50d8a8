package io.raftkv.kv.watch;

import io.raftkv.kv.ChangeListener;

/** Feeds the state machine's applied changes into a {@link WatchHub}. */
public record HubListener(WatchHub hub) implements ChangeListener {
  @Override
  public void changed(long revision, String key, String valueOrNull) {
    hub.publish(new WatchEvent(revision, key, valueOrNull));
  }

  @Override
  public void expired(long revision, String key) {
    hub.publish(new WatchEvent(revision, key, null, true));
  }

  @Override
  public void restored(long snapshotIndex) {
    hub.resetAt(snapshotIndex);
  }
}
