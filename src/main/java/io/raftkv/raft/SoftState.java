package io.raftkv.raft;

/** Volatile state worth reporting: who leads (0 = unknown) and this node's role. */
public record SoftState(long leader, Role role) {}
