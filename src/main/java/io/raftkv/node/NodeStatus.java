package io.raftkv.node;

import io.raftkv.raft.Status;
import java.util.Map;

/**
 * What {@code GET /cluster} shows, as last published by the loop (refreshed at least every heartbeat).
 *
 * @param raft          the core's status; its progress map is filled only on the leader
 * @param snapshotIndex index of the latest local snapshot (0 if none)
 * @param addresses     known member addresses
 */
public record NodeStatus(Status raft, long snapshotIndex, Map<Long, AddressBook.Member> addresses) {}
