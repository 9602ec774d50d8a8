package io.raftkv.node;

import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.RaftNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * What request threads hand to the Raft loop: proposals, reads and internal tasks, each in a lock-free
 * queue (bounded by {@link PendingLimiter} before they get here), and how the loop thread feeds them to
 * the core once per pass. Any thread adds; only the loop thread drains, except {@link #failAll}, which
 * also runs when the loop is gone (nobody else will answer what was queued).
 */
final class LoopIntake {
  private record Proposal(byte[] command, CompletableFuture<byte[]> future, long deadlineNanos) {}

  private record Read(boolean lease, ReadTracker.Pending pending) {}

  /** Work for the loop thread; {@code onStop} fails its caller if the loop stops first. */
  private record Task(Consumer<RaftNode> body, Consumer<Throwable> onStop) {}

  private final Queue<Proposal> proposals = new ConcurrentLinkedQueue<>();
  private final Queue<Read> reads = new ConcurrentLinkedQueue<>();
  private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
  private final ProposalTracker proposalTracker;
  private final ReadTracker readTracker;
  private final Completer completer;

  LoopIntake(ProposalTracker proposalTracker, ReadTracker readTracker, Completer completer) {
    this.proposalTracker = proposalTracker;
    this.readTracker = readTracker;
    this.completer = completer;
  }

  // ------------------------------------------------------------------ any thread

  void addProposal(byte[] command, CompletableFuture<byte[]> future, long deadlineNanos) {
    proposals.add(new Proposal(command, future, deadlineNanos));
  }

  void addRead(boolean lease, ReadTracker.Pending pending) {
    reads.add(new Read(lease, pending));
  }

  void addTask(Consumer<RaftNode> body, Consumer<Throwable> onStop) {
    tasks.add(new Task(body, onStop));
  }

  /** Fails everything still queued with {@code stopped}. */
  void failAll(NodeException stopped) {
    Proposal p;
    while ((p = proposals.poll()) != null) p.future.completeExceptionally(stopped);
    Read r;
    while ((r = reads.poll()) != null) r.pending.future().completeExceptionally(stopped);
    Task t;
    while ((t = tasks.poll()) != null) t.onStop.accept(stopped);
  }

  /** Fails the queued proposals and reads with {@code refused} (tasks stay queued for the loop). */
  void failRequests(NodeException refused) {
    Proposal p;
    while ((p = proposals.poll()) != null) completer.fail(p.future, refused);
    Read r;
    while ((r = reads.poll()) != null) completer.fail(r.pending.future(), refused);
  }

  // ------------------------------------------------------------------ the loop thread

  /**
   * Runs the queued tasks, proposes the queued commands and asks for read points: lease reads only when
   * {@code leaseAllowed} (this node leads and lease reads are on), checked against {@code leaseClock}.
   */
  void drainInto(RaftNode core, boolean leaseAllowed, LeaseClock leaseClock) {
    Task task;
    while ((task = tasks.poll()) != null) task.body.accept(core);
    proposeQueued(core);
    requestReads(core, leaseAllowed, leaseClock);
  }

  private void proposeQueued(RaftNode core) {
    if (proposals.isEmpty()) return;
    long term = core.status().term();
    Proposal p;
    while ((p = proposals.poll()) != null) {
      try {
        proposalTracker.add(core.propose(p.command), term, p.future, p.deadlineNanos);
      } catch (ProposalRejectedException e) {
        completer.fail(p.future, NodeException.from(e));
      }
    }
  }

  private void requestReads(RaftNode core, boolean leaseAllowed, LeaseClock leaseClock) {
    if (reads.isEmpty() && !readTracker.hasHeldReads()) return;
    List<ReadTracker.Pending> plain = new ArrayList<>();
    List<ReadTracker.Pending> leased = new ArrayList<>();
    Read r;
    while ((r = reads.poll()) != null) (r.lease && leaseAllowed ? leased : plain).add(r.pending);
    long now = System.nanoTime();
    readTracker.request(core::readIndex, plain, false, now);
    if (!leased.isEmpty()) requestLeased(core, leased, leaseClock, now);
  }

  /**
   * A lease read is answered by the core at once from its tick-counted lease; the lease is then checked
   * against the monotonic clock. Checked after the core answered: if it holds now it held then, whatever
   * stall came in between. If not, the answer is dropped and the batch takes a quorum round instead.
   */
  private void requestLeased(RaftNode core, List<ReadTracker.Pending> batch, LeaseClock leaseClock, long now) {
    long leaseTick = core.leaseTick();
    if (leaseTick == 0) {
      readTracker.request(core::readIndex, batch, false, now);
      return;
    }
    byte[] ctx = readTracker.request(core::readIndex, batch, true, now);
    if (ctx != null && !leaseClock.holds(leaseTick, System.nanoTime())) {
      readTracker.retryWithoutLease(core::readIndex, ctx, now);
    }
  }
}
