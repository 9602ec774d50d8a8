package io.raftkv.node;

import io.raftkv.raft.Message;
import io.raftkv.raft.RaftNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Logger;

/**
 * Traffic from peers waiting for the loop: Raft messages (bounded; overflow is dropped, Raft
 * retransmits), received snapshot files keyed by snapshot index, unreachable-peer reports and the
 * outcomes of snapshots this node sent. Filled by transport threads, drained by the loop thread.
 * Anything the core throws while stepping propagates to the loop, which stops the node.
 */
final class PeerInbox {
  private static final Logger LOG = Logger.getLogger(PeerInbox.class.getName());
  private static final int MAX_STEPS_PER_PASS = 4096;

  private record SnapshotReport(long peer, boolean success) {}

  private final ArrayBlockingQueue<Message> messages;
  private final Map<Long, Path> snapshotFiles = new ConcurrentHashMap<>();
  private final Set<Long> unreachable = ConcurrentHashMap.newKeySet();
  private final Queue<SnapshotReport> snapshotReports = new ConcurrentLinkedQueue<>();
  private final LoopSignal signal;

  PeerInbox(int capacity, LoopSignal signal) {
    this.messages = new ArrayBlockingQueue<>(capacity);
    this.signal = signal;
  }

  void offer(Message m) {
    if (messages.offer(m)) {
      signal.signal();
    } else {
      LOG.fine(() -> "inbox full, dropped " + m);
    }
  }

  /** Keeps the file until the core asks to install that snapshot, then steps the message. */
  void offerSnapshot(Message m, Path file) {
    Path previous = snapshotFiles.put(m.snapshot().index(), file);
    if (previous != null && !previous.equals(file)) deleteQuietly(previous);
    if (!messages.offer(m)) {
      snapshotFiles.remove(m.snapshot().index(), file);
      deleteQuietly(file);
      LOG.warning("inbox full, dropped snapshot " + m.snapshot().index() + " from " + m.from());
      return;
    }
    signal.signal();
  }

  void reportUnreachable(long peer) {
    if (unreachable.add(peer)) signal.signal();
  }

  void reportSnapshot(long peer, boolean success) {
    snapshotReports.add(new SnapshotReport(peer, success));
    signal.signal();
  }

  /** Steps queued traffic into the core (bounded per pass so proposals are not starved). */
  void drainInto(RaftNode core) {
    for (Long peer : unreachable) {
      unreachable.remove(peer);
      core.reportUnreachable(peer);
    }
    SnapshotReport r;
    while ((r = snapshotReports.poll()) != null) core.reportSnapshot(r.peer, r.success);
    for (int i = 0; i < MAX_STEPS_PER_PASS; i++) {
      Message m = messages.poll();
      if (m == null) return;
      // No catch: a message that cannot be decoded never gets here (the transport drops it), so a
      // throw from step is this node's fault (corrupt log, broken invariant) and stops the loop.
      core.step(m);
    }
    signal.signal(); // more left: come back without waiting for the next tick
  }

  /** Removes and returns the received file for the snapshot at {@code index}. */
  Path takeSnapshotFile(long index) {
    Path file = snapshotFiles.remove(index);
    if (file == null) throw new IllegalStateException("no received snapshot file for index " + index);
    return file;
  }

  /** Deletes received files at or below {@code index} that were superseded. */
  void discardSnapshotFilesUpTo(long index) {
    snapshotFiles.keySet().removeIf(i -> {
      if (i > index) return false;
      deleteQuietly(snapshotFiles.get(i));
      return true;
    });
  }

  void clear() {
    messages.clear();
    discardSnapshotFilesUpTo(Long.MAX_VALUE);
  }

  private static void deleteQuietly(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.fine(() -> "could not delete " + p + ": " + e);
    }
  }
}
