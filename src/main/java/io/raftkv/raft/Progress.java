package io.raftkv.raft;

import io.raftkv.raft.Status.PeerProgress.State;

/**
 * The leader's view of one member's log (etcd's tracker.Progress). PROBE: send one APPEND at a time
 * until the match point is found; REPLICATE: stream optimistically within the inflight window;
 * SNAPSHOT: wait for a snapshot transfer to finish.
 */
final class Progress {
  long match;
  long next;
  State state = State.PROBE;
  /** Index of the snapshot being sent while in SNAPSHOT state. */
  long pendingSnapshot;
  /** Heard from since the last CheckQuorum round. */
  boolean recentActive;
  /** In PROBE: an APPEND is outstanding, wait for its answer (or a heartbeat response). */
  boolean probeSent;
  /** Leader tick at which the newest heartbeat this peer acknowledged was sent (lease). */
  long heartbeatAckTick;
  /** Highest commit index sent in an APPEND (so a broadcast does not repeat an empty one). */
  long sentCommit;
  /** For a removed member: heartbeats stamped from this tick on tell it its removal committed (0 = unarmed). */
  long forgetAfterTick;
  final Inflights inflights;

  Progress(long next, int maxInflight) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  void becomeProbe() {
    long snap = state == State.SNAPSHOT ? pendingSnapshot : 0;
    reset(State.PROBE);
    next = Math.max(match + 1, snap + 1);
    checkWindow();
  }

  void becomeReplicate() {
    reset(State.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    if (snapshotIndex <= 0) throw Invariants.violated("snapshot to send must have a positive index, got " + snapshotIndex);
    reset(State.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /** Everything up to match is on the follower, so the next entry to send always lies above it. */
  private void checkWindow() {
    if (next <= match) throw Invariants.violated("progress next " + next + " <= match " + match);
  }

  private void reset(State s) {
    state = s;
    probeSent = false;
    pendingSnapshot = 0;
    inflights.reset();
  }

  /** A successful APPEND_RESPONSE for {@code n}; returns true if match advanced. */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, n + 1);
    checkWindow();
    return updated;
  }

  /**
   * A rejected APPEND for index {@code rejected}, with the follower's hint of where logs may match.
   * Returns false for stale rejections.
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == State.REPLICATE) {
      if (rejected <= match) return false;
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) return false;
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    checkWindow();
    return true;
  }

  /** Records an APPEND sent with entries up to {@code lastIndex} ({@code empty}: no entries). */
  void sentEntries(long lastIndex, boolean empty) {
    if (state == State.REPLICATE) {
      if (!empty) {
        if (lastIndex < next) throw Invariants.violated("sent up to " + lastIndex + " but next was " + next);
        next = lastIndex + 1;
        inflights.add(lastIndex);
      }
    } else if (state == State.PROBE) {
      probeSent = true;
    }
  }

  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  Status.PeerProgress toStatus() {
    return new Status.PeerProgress(match, next, state, recentActive, inflights.count());
  }
}
