package io.raftkv.raft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The effective membership: the conf of the latest snapshot plus every CONF_CHANGE entry after it
 * that is in the log (committed or not). Effective on append, so a truncated conf entry is undone
 * by recomputing from the snapshot conf and the remaining entries.
 */
final class Membership {
  private record Change(long index, ConfChange change) {}

  private ConfState base;
  private long baseIndex;
  private final ArrayList<Change> history = new ArrayList<>();
  private ConfState current;

  Membership(ConfState base, long baseIndex) {
    this.base = base;
    this.baseIndex = baseIndex;
    this.current = base;
  }

  /** Rebuilds membership from durable state: snapshot conf plus conf entries after it. */
  static Membership load(LogView storage) {
    SnapshotMeta snap = storage.snapshot();
    Membership m = new Membership(snap.conf(), snap.index());
    long lo = storage.firstIndex();
    long hi = storage.lastIndex() + 1;
    while (lo < hi) {
      List<Entry> batch = storage.entries(lo, hi, 4L << 20);
      m.onAppend(batch);
      lo += batch.size();
    }
    return m;
  }

  ConfState current() {
    return current;
  }

  /** The membership as of log index {@code index} (at least the snapshot index). */
  ConfState confAt(long index) {
    if (index < baseIndex) {
      throw Invariants.violated("membership at " + index + " asked, but it is only known from " + baseIndex);
    }
    ConfState c = base;
    for (Change ch : history) {
      if (ch.index() > index) break;
      c = apply(c, ch.change());
    }
    return c;
  }

  /** Index of the newest conf change entry in the log (the snapshot index if none after it). */
  long lastConfIndex() {
    return history.isEmpty() ? baseIndex : history.get(history.size() - 1).index();
  }

  /** New entries entered the log starting at their first index; returns true if membership changed. */
  boolean onAppend(List<Entry> ents) {
    if (ents.isEmpty()) return false;
    long from = ents.get(0).index();
    boolean truncated = false;
    while (!history.isEmpty() && history.get(history.size() - 1).index() >= from) {
      history.remove(history.size() - 1);
      truncated = true;
    }
    boolean added = false;
    for (Entry e : ents) {
      if (e.type() == EntryType.CONF_CHANGE && e.index() > baseIndex) {
        if (e.index() <= lastConfIndex()) {
          throw Invariants.violated("conf change at " + e.index() + " not after the one at " + lastConfIndex());
        }
        history.add(new Change(e.index(), ConfChange.decode(e.data())));
        added = true;
      }
    }
    if (!truncated && !added) return false;
    return recompute();
  }

  /** A snapshot replaced the log (follower install). */
  boolean reset(SnapshotMeta s) {
    base = s.conf();
    baseIndex = s.index();
    history.clear();
    return recompute();
  }

  /** The durable log was compacted to {@code s}: forget conf entries it covers. */
  void onCompacted(SnapshotMeta s) {
    if (s.index() <= baseIndex) return;
    base = s.conf();
    baseIndex = s.index();
    history.removeIf(c -> c.index() <= s.index());
    recompute();
  }

  private boolean recompute() {
    ConfState c = base;
    for (Change ch : history) c = apply(c, ch.change());
    boolean changed = !c.equals(current);
    current = c;
    return changed;
  }

  /** Applies a change leniently (entries in the log were validated when proposed). */
  static ConfState apply(ConfState c, ConfChange cc) {
    Set<Long> voters = new HashSet<>(c.voters());
    Set<Long> learners = new HashSet<>(c.learners());
    long id = cc.nodeId();
    switch (cc.type()) {
      case ADD_VOTER -> {
        learners.remove(id);
        voters.add(id);
      }
      case ADD_LEARNER -> {
        voters.remove(id);
        learners.add(id);
      }
      case REMOVE_NODE -> {
        voters.remove(id);
        learners.remove(id);
      }
    }
    return new ConfState(voters, learners);
  }
}
