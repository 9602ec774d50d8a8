package io.raftkv.raft;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** A cluster membership: voters and learners (non-voting members). Node ids are positive. */
public record ConfState(Set<Long> voters, Set<Long> learners) {
  public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

  public ConfState {
    voters = Set.copyOf(Objects.requireNonNull(voters, "voters"));
    learners = Set.copyOf(Objects.requireNonNull(learners, "learners"));
    for (long id : voters) {
      if (id <= 0) throw new IllegalArgumentException("node id must be positive: " + id);
      if (learners.contains(id)) throw new IllegalArgumentException("node " + id + " is voter and learner");
    }
    for (long id : learners) {
      if (id <= 0) throw new IllegalArgumentException("node id must be positive: " + id);
    }
  }

  public static ConfState ofVoters(Long... ids) {
    return new ConfState(Set.of(ids), Set.of());
  }

  public boolean isMember(long id) {
    return voters.contains(id) || learners.contains(id);
  }

  /** All members in ascending id order (deterministic iteration). */
  public TreeSet<Long> members() {
    TreeSet<Long> all = new TreeSet<>(voters);
    all.addAll(learners);
    return all;
  }

  @Override
  public String toString() {
    return "voters=" + new TreeSet<>(voters) + " learners=" + new TreeSet<>(learners);
  }
}
