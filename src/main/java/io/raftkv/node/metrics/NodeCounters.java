package io.raftkv.node.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one node counts while it works: plain Java, so the Raft loop, the storage adapter and the peer
 * transport callbacks can count without knowing any metrics API; {@code api.metrics} exports the
 * values when scraped (docs/operations.md, "Metrics"). Every method is a {@link LongAdder} add or a
 * {@link LatencyHistogram} record: no lock, no allocation, callable from any thread.
 */
public final class NodeCounters {
  private final LongAdder proposals = new LongAdder();
  private final LongAdder readIndexRounds = new LongAdder();
  private final LongAdder entriesWritten = new LongAdder();
  private final LongAdder bytesWritten = new LongAdder();
  private final LongAdder snapshotsTaken = new LongAdder();
  private final LongAdder snapshotsSent = new LongAdder();
  private final LongAdder snapshotSendFailures = new LongAdder();
  private final LongAdder snapshotsReceived = new LongAdder();
  private final LongAdder leaderChanges = new LongAdder();
  private final LongAdder electionsStarted = new LongAdder();
  private final LongAdder rejectedByLimit = new LongAdder();
  private volatile long lastSnapshotBytes;
  private final LatencyHistogram proposalLatency = new LatencyHistogram();
  private final LatencyHistogram fsyncLatency = new LatencyHistogram();
  private final LatencyHistogram snapshotDuration = new LatencyHistogram();

  /** A proposal was handed to the Raft core on this node (this node leads). */
  public void proposed() {
    proposals.increment();
  }

  /** A proposal made here was applied, {@code nanos} after it entered the loop's queue. */
  public void proposalApplied(long nanos) {
    proposalLatency.record(nanos);
  }

  /** One ReadIndex round (a quorum check shared by a batch of linearizable reads) was started. */
  public void readIndexRound() {
    readIndexRounds.increment();
  }

  /** Entries were written to the log in one storage transaction. */
  public void logWritten(int entries, long bytes) {
    entriesWritten.add(entries);
    bytesWritten.add(bytes);
  }

  /** A synced log write (JE commit with fsync) took {@code nanos}. */
  public void fsync(long nanos) {
    fsyncLatency.record(nanos);
  }

  /** A local snapshot was written: {@code nanos} from capture to durable file, {@code bytes} its size. */
  public void snapshotTaken(long nanos, long bytes) {
    snapshotsTaken.increment();
    snapshotDuration.record(nanos);
    lastSnapshotBytes = bytes;
  }

  /** A snapshot stream to a follower (InstallSnapshot) ended; {@code ok} when the follower took it. */
  public void snapshotSent(boolean ok) {
    (ok ? snapshotsSent : snapshotSendFailures).increment();
  }

  /** A snapshot received from the leader was installed. */
  public void snapshotReceived() {
    snapshotsReceived.increment();
  }

  /** This node learned of a leader other than the last one it knew. */
  public void leaderChanged() {
    leaderChanges.increment();
  }

  /** This node became a candidate (voted for itself in a new term). */
  public void electionStarted() {
    electionsStarted.increment();
  }

  /** A client request was refused with 503 because this node's pending-request bound was reached. */
  public void limitRejected() {
    rejectedByLimit.increment();
  }

  public long proposals() { return proposals.sum(); }
  public long readIndexRounds() { return readIndexRounds.sum(); }
  public long entriesWritten() { return entriesWritten.sum(); }
  public long bytesWritten() { return bytesWritten.sum(); }
  public long snapshotsTaken() { return snapshotsTaken.sum(); }
  public long snapshotsSent() { return snapshotsSent.sum(); }
  public long snapshotSendFailures() { return snapshotSendFailures.sum(); }
  public long snapshotsReceived() { return snapshotsReceived.sum(); }
  public long leaderChanges() { return leaderChanges.sum(); }
  public long electionsStarted() { return electionsStarted.sum(); }
  public long rejectedByLimit() { return rejectedByLimit.sum(); }
  /** Size of the last local snapshot written by this process, 0 before the first. */
  public long lastSnapshotBytes() { return lastSnapshotBytes; }
  public LatencyHistogram proposalLatency() { return proposalLatency; }
  public LatencyHistogram fsyncLatency() { return fsyncLatency; }
  public LatencyHistogram snapshotDuration() { return snapshotDuration; }
}
