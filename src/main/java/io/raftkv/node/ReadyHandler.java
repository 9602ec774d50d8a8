package io.raftkv.node;

import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.ReadState;
import io.raftkv.raft.Ready;
import io.raftkv.transport.PeerTransport;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Does the I/O one {@link Ready} asks for, in the order Raft requires: install a received snapshot;
 * send what a leader may send before its own write is durable; persist entries and hard state in one
 * storage call (one transaction, synced when needed — entries of every request that arrived since the
 * last Ready share that fsync); send the rest; apply committed entries; serve read states.
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
    if (rd.hardState() != null || !rd.entries().isEmpty()) {
      storage.save(rd.hardState(), rd.entries(), rd.mustSync());
    }
    for (Message m : rd.messages()) {
      if (!rd.maySendBeforePersist(m)) send(m);
    }
    applier.apply(rd.committedEntries());
    for (ReadState rs : rd.readStates()) reads.onReadState(rs, applier.appliedIndex());
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
