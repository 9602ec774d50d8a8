package io.raftkv.node;

import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.raft.Message;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.transport.PeerTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Local snapshots and log compaction, installs of snapshots received from the leader, restore at
 * start-up, and sending snapshots to lagging followers. A local snapshot is captured on the loop thread
 * (cheap), serialized to a durable file on a background thread, then the log is compacted on the loop.
 * Order, crash-safe at every step (docs/storage.md): commit the new file; record it in the log store
 * (synced); only then delete older files. Pruning happens on the loop thread only.
 */
final class SnapshotCoordinator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SnapshotCoordinator.class.getName());
  private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final RaftStorage storage;
  private final SnapshotStore files;
  private final StateMachine stateMachine;
  private final MemberRegistry members;
  private final long threshold;
  private final long retain;
  private final Consumer<Consumer<RaftNode>> postToLoop;
  private final ExecutorService writer;
  private final NodeCounters counters;
  private volatile long lastSnapshotIndex;
  private volatile long installed;
  private boolean inProgress;
  private long notBeforeNanos = System.nanoTime();

  SnapshotCoordinator(RaftStorage storage, SnapshotStore files, StateMachine stateMachine, MemberRegistry members,
      long threshold, long retain, Consumer<Consumer<RaftNode>> postToLoop, NodeCounters counters) {
    this.storage = storage;
    this.counters = counters;
    this.files = files;
    this.stateMachine = stateMachine;
    this.members = members;
    this.threshold = threshold;
    this.retain = retain;
    this.postToLoop = postToLoop;
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "raftkv-snapshot-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Restores the snapshot the log store names; returns the applied index it leaves (0 if none). Refuses
   * (InconsistentDataException) when that snapshot's file is missing or unreadable: never serve from it.
   * Then deletes the other snapshot files (superseded, or written but never recorded before a crash).
   */
  long restoreAtStartup() throws IOException {
    SnapshotMeta meta = storage.snapshot();
    if (!meta.isEmpty()) {
      if (files.file(meta).isEmpty()) {
        throw new InconsistentDataException("the log store records snapshot index " + meta.index() + " term "
            + meta.term() + " but its file is missing from " + files.describe(), null);
      }
      try {
        restoreFrom(meta);
      } catch (IOException | RuntimeException e) {
        throw new InconsistentDataException("the snapshot the log store records (index " + meta.index() + " term "
            + meta.term() + ") cannot be restored from " + files.describe() + ": " + e.getMessage(), e);
      }
      LOG.info("restored snapshot at index " + meta.index());
    }
    files.retainOnly(meta);
    return meta.index();
  }

  long lastSnapshotIndex() {
    return lastSnapshotIndex;
  }

  /** Snapshots received from a leader and installed since start (shown by {@code GET /cluster}). */
  long installedCount() {
    return installed;
  }

  /** Starts a local snapshot when enough entries were applied since the last one. Loop thread. */
  void maybeStart() {
    long applied = stateMachine.appliedIndex();
    if (inProgress || applied - lastSnapshotIndex < threshold || System.nanoTime() - notBeforeNanos < 0) return;
    StateMachine.SnapshotWriter capture = stateMachine.captureSnapshot();
    SnapshotMeta meta = new SnapshotMeta(capture.index(), storage.term(capture.index()), members.appliedConf());
    inProgress = true;
    long began = System.nanoTime();
    writer.execute(() -> {
      try {
        files.write(meta, capture);
        counters.snapshotTaken(System.nanoTime() - began, sizeOf(meta));
        postToLoop.accept(core -> finishLocal(core, meta));
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "writing snapshot " + meta.index() + " failed; will retry", e);
        postToLoop.accept(core -> {
          inProgress = false;
          notBeforeNanos = System.nanoTime() + RETRY_AFTER_FAILURE_NANOS;
        });
      }
    });
  }

  private void finishLocal(RaftNode core, SnapshotMeta meta) {
    inProgress = false;
    if (meta.index() <= storage.snapshot().index()) return; // a newer snapshot was installed meanwhile
    storage.compact(meta, Math.max(1, meta.index() - retain));
    core.onCompacted(meta);
    lastSnapshotIndex = meta.index();
    prune(meta);
    LOG.info("snapshot at index " + meta.index() + " written; log compacted below " + Math.max(1, meta.index() - retain));
  }

  /** Installs a snapshot received from the leader: file first, then the log, then the state. */
  void install(SnapshotMeta meta, Path received) throws IOException {
    long bytes = java.nio.file.Files.size(received);
    files.adopt(meta, received);
    storage.installSnapshot(meta);
    restoreFrom(meta);
    prune(meta);
    installed++;
    counters.snapshotReceived();
    LOG.info("installed snapshot at index " + meta.index() + " (term " + meta.term() + ", " + bytes
        + " bytes) received from the leader");
  }

  /** Only after the log store durably names {@code current}: older files are then garbage. */
  private void prune(SnapshotMeta current) {
    try {
      files.pruneBelow(current);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not delete snapshots older than " + current.index() + "; will retry", e);
    }
  }

  private void restoreFrom(SnapshotMeta meta) throws IOException {
    try (InputStream in = files.openPayload(meta)) {
      stateMachine.restore(in);
    }
    if (stateMachine.appliedIndex() != meta.index()) {
      throw new IllegalStateException("snapshot " + meta.index() + " restored applied index "
          + stateMachine.appliedIndex() + " but its metadata says " + meta.index());
    }
    members.reset(meta.conf(), stateMachine);
    lastSnapshotIndex = meta.index();
  }

  /** Streams the snapshot a SNAPSHOT message refers to; the outcome goes back to the core via the inbox. */
  void send(Message m, PeerTransport transport, PeerInbox inbox) {
    Optional<Path> file;
    try {
      file = files.file(m.snapshot());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read snapshot " + m.snapshot().index(), e);
      file = Optional.empty();
    }
    if (file.isEmpty()) {
      LOG.warning("no snapshot file for index " + m.snapshot().index() + " to send to " + m.to());
      inbox.reportSnapshot(m.to(), false);
      return;
    }
    transport.sendSnapshot(m, file.get(), ok -> {
      counters.snapshotSent(ok);
      inbox.reportSnapshot(m.to(), ok);
    });
  }

  /** The written file's size; 0 when it cannot be read (the count and duration still tell it was written). */
  private long sizeOf(SnapshotMeta meta) {
    try {
      Optional<Path> file = files.file(meta);
      return file.isPresent() ? java.nio.file.Files.size(file.get()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    writer.shutdownNow();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
