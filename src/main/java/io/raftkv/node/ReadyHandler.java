package io.raftkv.node;

import io.raftkv.raft.Entry;
import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.ReadState;
import io.raftkv.raft.Ready;
import io.raftkv.transport.PeerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Does the I/O one {@link Ready} asks for, in the order Raft requires: install a received snapshot;
 * send what a leader may send before its own write is durable; apply the committed entries this node
 * already holds durably; persist entries and hard state in one storage call (one transaction, synced
 * when needed — entries of every request that arrived since the last Ready share that fsync); send the
 * rest; apply the remaining committed entries; serve read states (docs/architecture.md §3).
 */
final class ReadyHandler {
  private final RaftStorage storage;
  private final PeerTransport transport;
  private final PeerInbox inbox;
  private final SnapshotCoordinator snapshots;
  private final EntryApplier applier;
  private final ProposalTracker proposals;
  private final ReadTracker reads;

  ReadyHandler(RaftStorage storage, PeerTransport transport, PeerInbox inbox, SnapshotCoordinator snapshots,
      EntryApplier applier, ProposalTracker proposals, ReadTracker reads) {
    this.storage = storage;
    this.transport = transport;
    this.inbox = inbox;
    this.snapshots = snapshots;
    this.applier = applier;
    this.proposals = proposals;
    this.reads = reads;
  }

  void handle(Ready rd) {
    if (rd.snapshot() != null && !rd.snapshot().isEmpty()) installSnapshot(rd);
    for (Message m : rd.messages()) {
      if (rd.maySendBeforePersist(m)) send(m);
    }
    List<Entry> committed = rd.committedEntries();
    int durable = durablePrefix(committed, durableUpTo(rd));
    applier.apply(committed.subList(0, durable));
    if (rd.hardState() != null || !rd.entries().isEmpty()) {
      storage.save(rd.hardState(), rd.entries(), rd.mustSync());
    }
    for (Message m : rd.messages()) {
      if (!rd.maySendBeforePersist(m)) send(m);
    }
    applier.apply(committed.subList(durable, committed.size()));
    for (ReadState rs : rd.readStates()) reads.onReadState(rs, applier.appliedIndex());
  }

  /**
   * The last index this node holds durably and this Ready's write leaves as it is: the stored log up to
   * the first entry the write appends or replaces.
   */
  private long durableUpTo(Ready rd) {
    long stored = storage.lastIndex();
    return rd.entries().isEmpty() ? stored : Math.min(stored, rd.entries().get(0).index() - 1);
  }

  /**
   * How many of {@code committed} are at or below {@code durableIndex}. Those are applied before this
   * Ready's fsync: under load a leader's Ready carries the commit of the previous batch together with the
   * next batch's entries, and the previous batch's clients need not wait for the next batch's write.
   */
  static int durablePrefix(List<Entry> committed, long durableIndex) {
    int n = 0;
    while (n < committed.size() && committed.get(n).index() <= durableIndex) n++;
    return n;
  }

  private void installSnapshot(Ready rd) {
    long index = rd.snapshot().index();
    try {
      snapshots.install(rd.snapshot(), inbox.takeSnapshotFile(index));
    } catch (IOException e) {
      throw new UncheckedIOException("installing snapshot " + index + " failed", e);
    }
    inbox.discardSnapshotFilesUpTo(index);
    proposals.onSnapshotInstalled(index);
    reads.onApplied(applier.appliedIndex());
  }

  private void send(Message m) {
    if (m.type() == MessageType.SNAPSHOT) {
      snapshots.send(m, transport, inbox);
    } else {
      transport.send(m);
    }
  }
}
