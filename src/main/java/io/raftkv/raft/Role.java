package io.raftkv.raft;

/** A node's role. Learners are followers that do not vote; {@link #LEARNER} is reported for clarity. */
public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER, LEARNER }
