package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.node.metrics.NodeMetrics;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@link NodeMetrics} over what the loop publishes: its {@link NodeStatus} (volatile, refreshed every
 * heartbeat and on role changes), the state machine's applied index and the node's counters. Nothing
 * here runs on the loop thread; every call reads published values.
 */
final class LoopMetrics implements NodeMetrics {
  private final long nodeId;
  private final Supplier<NodeStatus> status;
  private final LongSupplier applied;
  private final NodeCounters counters;
  private final Path dataDir;
  private final long diskFreeLimitBytes;
  private final BooleanSupplier diskWritesBlocked;
  private volatile FileStore fileStore;

  LoopMetrics(long nodeId, Supplier<NodeStatus> status, LongSupplier applied, NodeCounters counters, Path dataDir,
      long diskFreeLimitBytes, BooleanSupplier diskWritesBlocked) {
    this.nodeId = nodeId;
    this.diskFreeLimitBytes = diskFreeLimitBytes;
    this.diskWritesBlocked = diskWritesBlocked;
    this.status = status;
    this.applied = applied;
    this.counters = counters;
    this.dataDir = dataDir;
  }

  /** The stable metric code of a role (never {@code ordinal()}: the numbers are part of the metrics' contract). */
  static int roleCode(Role role) {
    return switch (role) {
      case FOLLOWER -> FOLLOWER;
      case PRE_CANDIDATE -> PRE_CANDIDATE;
      case CANDIDATE -> CANDIDATE;
      case LEADER -> LEADER;
      case LEARNER -> LEARNER;
    };
  }

  @Override public long nodeId() { return nodeId; }
  @Override public long term() { return raft() == null ? 0 : raft().term(); }
  @Override public int role() { return raft() == null ? FOLLOWER : roleCode(raft().role()); }
  @Override public long leaderId() { return raft() == null ? 0 : raft().leader(); }
  @Override public long commitIndex() { return raft() == null ? 0 : raft().commitIndex(); }
  @Override public long appliedIndex() { return applied.getAsLong(); }
  @Override public long logFirstIndex() { return status.get() == null ? 0 : status.get().logFirstIndex(); }
  @Override public long logLastIndex() { return status.get() == null ? 0 : status.get().logLastIndex(); }
  @Override public long snapshotIndex() { return status.get() == null ? 0 : status.get().snapshotIndex(); }
  @Override public NodeCounters counters() { return counters; }

  @Override
  public Map<Long, PeerReplication> peers() {
    Status s = raft();
    if (s == null || s.role() != Role.LEADER) return Map.of();
    Map<Long, PeerReplication> peers = new HashMap<>();
    for (Map.Entry<Long, Status.PeerProgress> e : s.progress().entrySet()) {
      if (e.getKey() == nodeId) continue;
      long match = e.getValue().match();
      peers.put(e.getKey(), new PeerReplication(match, Math.max(0, s.lastIndex() - match)));
    }
    return peers;
  }

  @Override public long diskFreeLimitBytes() { return diskFreeLimitBytes; }
  @Override public int diskWritesBlocked() { return diskWritesBlocked.getAsBoolean() ? 1 : 0; }

  @Override
  public long diskFreeBytes() {
    FileStore store = fileStore();
    try {
      return store == null ? -1 : store.getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public long diskTotalBytes() {
    FileStore store = fileStore();
    try {
      return store == null ? -1 : store.getTotalSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private FileStore fileStore() {
    FileStore store = fileStore;
    if (store != null || dataDir == null) return store;
    try {
      store = Files.getFileStore(dataDir);
      fileStore = store;
      return store;
    } catch (IOException e) {
      return null;
    }
  }

  private Status raft() {
    NodeStatus s = status.get();
    return s == null ? null : s.raft();
  }
}
