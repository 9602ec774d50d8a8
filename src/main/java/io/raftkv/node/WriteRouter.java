package io.raftkv.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Takes a write to the leader: proposed here when this node leads, forwarded otherwise. When no
 * leader is known, the leader cannot be reached (it crashed) or it lost its leadership before the
 * write committed, the write waits for the next leader and is sent again, for at most
 * {@code leaderWait} (about three election timeouts: long enough for an election, short enough that
 * a client of a cluster without quorum soon gets its 503 and can try elsewhere) and never past the
 * request's deadline. A client therefore sees one write that took as long as the election, not a 503
 * or 504 it must sort out itself (docs/operations.md, "Election timing").
 *
 * <p>Sending a write again is safe because every command carries its client request id (kv's
 * {@code WriteLanes}): the state machine applies an id once and answers a repeat with the first
 * result, whichever copy reaches the log first. A write that may have reached a leader and then
 * fails for good is reported as outcome unknown, never as "nothing written". Answers that are the
 * leader's own verdict (overloaded, rejected, too large) are passed on at once, so an overloaded
 * leader is not sent the same write again.
 */
final class WriteRouter {
  /** How often a waiting write looks for a (new) leader. */
  static final long RECHECK_MS = 10;
  /** A write that could not reach leader N is sent to N again after this, if N still leads. */
  static final long SAME_LEADER_RETRY_MS = 100;

  private final long self;
  private final LongSupplier leader;
  private final Function<byte[], CompletableFuture<byte[]>> local;
  private final ForwardClient forward;
  private final long timeoutNanos;
  private final long leaderWaitNanos;
  private final Executor later = CompletableFuture.delayedExecutor(RECHECK_MS, TimeUnit.MILLISECONDS, Runnable::run);

  WriteRouter(long self, LongSupplier leader, Function<byte[], CompletableFuture<byte[]>> local, ForwardClient forward,
      long timeoutNanos, long leaderWaitNanos) {
    this.self = self;
    this.leader = leader;
    this.local = local;
    this.forward = forward;
    this.timeoutNanos = timeoutNanos;
    this.leaderWaitNanos = Math.min(leaderWaitNanos, timeoutNanos);
  }

  CompletableFuture<byte[]> route(byte[] command) {
    long now = System.nanoTime();
    Write w = new Write(command, now + timeoutNanos, now + leaderWaitNanos);
    w.send();
    return w.result;
  }

  /** One write's attempts; only one attempt runs at a time. */
  private final class Write {
    final byte[] command;
    final long deadline;
    /** No new attempt starts after this. */
    final long retryUntil;
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    /** The leader the last attempt failed on (0: none) and when. */
    long failedLeader;
    long failedAt;
    /** Set once an attempt may have reached a leader: a final failure is then "outcome unknown". */
    boolean maybeProposed;
    /** A leader named by the node that refused the last attempt, tried next (0: ask the loop). */
    long hinted;
    NodeException lastFailure = new NodeException.NotLeader(0);

    Write(byte[] command, long deadline, long retryUntil) {
      this.command = command;
      this.deadline = deadline;
      this.retryUntil = retryUntil;
    }

    void send() {
      long now = System.nanoTime();
      long target = hinted != 0 ? hinted : leader.getAsLong();
      hinted = 0;
      boolean ready = target != 0 && (target != failedLeader
          || now - failedAt >= TimeUnit.MILLISECONDS.toNanos(SAME_LEADER_RETRY_MS));
      if (!ready) {
        if (now - retryUntil >= 0) giveUp();
        else later.execute(this::send);
        return;
      }
      CompletableFuture<byte[]> attempt;
      if (target == self) {
        attempt = local.apply(command);
      } else {
        attempt = forward.proposeVia(target, command, Duration.ofNanos(Math.max(0, deadline - now)));
      }
      attempt.whenComplete((reply, error) -> {
        if (error == null) {
          result.complete(reply);
        } else {
          retryOrFail(target, NodeException.unwrap(error));
        }
      });
    }

    private void retryOrFail(long target, Throwable error) {
      NodeException failure;
      if (error instanceof ForwardClient.Unreachable u) {
        failure = u.verdict();
      } else if (error instanceof NodeException.NotLeader || error instanceof NodeException.OutcomeUnknown) {
        failure = (NodeException) error;
      } else {
        // The leader's own verdict (overloaded, rejected, stopped), or a bug: not ours to retry. After an
        // attempt that may have been proposed it cannot say the write did not happen.
        result.completeExceptionally(maybeProposed ? outcomeUnknown(error) : error);
        return;
      }
      if (failure instanceof NodeException.OutcomeUnknown) maybeProposed = true;
      if (failure instanceof NodeException.NotLeader nl && nl.leaderHint() != target && nl.leaderHint() != self) {
        hinted = nl.leaderHint(); // 0 (none known there) leaves the choice to this node's own view
      }
      lastFailure = failure;
      failedLeader = target;
      failedAt = System.nanoTime();
      if (failedAt - retryUntil >= 0) giveUp();
      else later.execute(this::send);
    }

    private void giveUp() {
      result.completeExceptionally(maybeProposed ? outcomeUnknown(lastFailure) : lastFailure);
    }

    private Throwable outcomeUnknown(Throwable last) {
      if (last instanceof NodeException.OutcomeUnknown) return last;
      return new NodeException.OutcomeUnknown("an earlier attempt of this write may have been applied; the last one failed: "
          + last.getMessage());
    }
  }
}
