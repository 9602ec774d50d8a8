package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ProposalRejectedException.Reason;
import io.raftkv.raft.Status;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Membership changes and leadership transfer, one at a time per leader. A new member joins as a
 * learner and is promoted to voter only once caught up: its match index has reached the learner entry
 * itself (it answered at least one round) and is within {@link #MAX_LAG} of the leader's commit.
 * On a follower each operation is forwarded to the leader and runs there.
 */
public final class MembershipManager implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MembershipManager.class.getName());
  /** How far behind the leader's commit index a learner may be when it is promoted. */
  static final long MAX_LAG = 100;

  private final RaftLoop loop;
  private final Duration catchUpTimeout;
  private final Duration transferTimeout;
  private final long pollMs;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "raftkv-membership");
    t.setDaemon(true);
    return t;
  });

  MembershipManager(RaftLoop loop, Duration catchUpTimeout) {
    this.loop = loop;
    this.catchUpTimeout = catchUpTimeout;
    NodeConfig c = loop.config();
    this.transferTimeout = Duration.ofMillis(3L * c.electionTimeoutMs());
    this.pollMs = c.heartbeatMs();
  }

  // ------------------------------------------------------------ entry points (any node)

  public CompletableFuture<Void> addMember(long id, String peer, String http) {
    byte[] args = ForwardCodec.write(o -> {
      o.writeLong(id);
      o.writeUTF(peer);
      o.writeUTF(http == null ? "" : http);
    });
    return onLeader(() -> addAsLeader(id, peer, http), ForwardCodec.Kind.ADD_MEMBER, args);
  }

  public CompletableFuture<Void> removeMember(long id) {
    NodeStatus before = loop.status();
    boolean wasMember = before != null && before.raft().conf().isMember(id);
    return onLeader(() -> removeAsLeader(id), ForwardCodec.Kind.REMOVE_MEMBER, ForwardCodec.write(o -> o.writeLong(id)))
        .exceptionallyCompose(e -> wasMember ? removedAnyway(id, e) : CompletableFuture.failedFuture(e));
  }

  /**
   * A removal forwarded to the node being removed (it is the leader: it hands over, then has the new
   * leader remove it) loses its reply when this node applies the removal: the transport closes the
   * channel to the removed node at once. The removal happened, so answer success once this node's
   * membership no longer has {@code id}; any other failure stands.
   */
  private CompletableFuture<Void> removedAnyway(long id, Throwable failure) {
    Throwable cause = NodeException.unwrap(failure);
    boolean replyLost = cause instanceof NodeException.Unavailable || cause instanceof NodeException.OutcomeUnknown;
    if (!replyLost) return CompletableFuture.failedFuture(failure);
    return await(st -> !st.conf().isMember(id), transferTimeout, "")
        .handle((v, e) -> {
          if (e != null) throw failure instanceof RuntimeException r ? r : new CompletionException(failure);
          LOG.info("node " + id + " was removed (its own reply was cut off by the removal)");
          return null;
        });
  }

  /** Transfers leadership to {@code to}, or to the most up-to-date other voter when {@code to} is 0. */
  public CompletableFuture<Void> transferLeader(long to) {
    return onLeader(() -> transferAsLeader(to), ForwardCodec.Kind.TRANSFER, ForwardCodec.write(o -> o.writeLong(to)));
  }

  private CompletableFuture<Void> onLeader(java.util.function.Supplier<CompletableFuture<Void>> local,
      ForwardCodec.Kind kind, byte[] args) {
    long leader = loop.leaderId();
    if (leader == loop.nodeId()) return local.get();
    if (leader == 0) return CompletableFuture.failedFuture(new NodeException.NotLeader(0));
    // Adding a member may wait for it to catch up; removing the leader itself includes a transfer.
    Duration runTime = catchUpTimeout.plus(transferTimeout).plus(transferTimeout);
    return loop.forwardClient().admin(leader, kind, args, runTime).thenApply(r -> null);
  }

  // ------------------------------------------------------------ leader side

  CompletableFuture<Void> addAsLeader(long id, String peer, String http) {
    Status s = loop.status().raft();
    if (s.conf().voters().contains(id)) {
      return CompletableFuture.failedFuture(new NodeException.Rejected(Reason.INVALID, "node " + id + " is already a voter"));
    }
    if (!busy.compareAndSet(false, true)) return conflict();
    byte[] context = loop.addressBook().encodeContext(id, peer, http);
    CompletableFuture<byte[]> learner = s.conf().learners().contains(id)
        ? CompletableFuture.completedFuture(new byte[0])
        : loop.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, id, context));
    return release(learner
        .thenCompose(v -> awaitCaughtUp(id, loop.status().raft().lastIndex()))
        .thenCompose(v -> loop.proposeConfChange(new ConfChange(ConfChange.Type.ADD_VOTER, id, context)))
        .thenAccept(v -> LOG.info("node " + id + " is now a voter")));
  }

  CompletableFuture<Void> removeAsLeader(long id) {
    Status s = loop.status().raft();
    if (!s.conf().isMember(id)) {
      return CompletableFuture.failedFuture(new NodeException.NotFound("node " + id + " is not a member"));
    }
    // Checked before the self-removal branch too: a leader removing itself hands leadership over, and
    // the new leader knows nothing of a change still in flight here (found by MembershipIT).
    if (busy.get()) return conflict();
    if (id == loop.nodeId()) {
      // A leader removing itself hands off first, then asks the new leader to remove it.
      return transferAsLeader(0).thenCompose(v -> removeMember(id));
    }
    if (!busy.compareAndSet(false, true)) return conflict();
    return release(loop.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, id, new byte[0]))
        .thenAccept(v -> LOG.info("node " + id + " was removed")));
  }

  CompletableFuture<Void> transferAsLeader(long to) {
    Status s = loop.status().raft();
    long target = to != 0 ? to : bestOtherVoter(s).orElse(0L);
    if (target == 0) {
      return CompletableFuture.failedFuture(new NodeException.Rejected(Reason.INVALID, "no other voter to transfer to"));
    }
    if (target == loop.nodeId()) return CompletableFuture.completedFuture(null);
    if (!s.conf().voters().contains(target)) {
      return CompletableFuture.failedFuture(new NodeException.Rejected(Reason.INVALID, "node " + target + " is not a voter"));
    }
    return loop.call(core -> {
      core.transferLeadership(target);
      return null;
    }).thenCompose(v -> await(st -> st.leader() == target, transferTimeout,
        "leadership transfer to " + target + " did not complete in time"));
  }

  // ------------------------------------------------------------ helpers

  private CompletableFuture<Void> awaitCaughtUp(long id, long learnerIndex) {
    return await(st -> caughtUp(st, id, learnerIndex), catchUpTimeout, "")
        .exceptionallyCompose(e -> {
          LOG.warning("node " + id + " did not catch up within " + catchUpTimeout.toSeconds() + " s; removing it");
          return loop.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, id, new byte[0]))
              .handle((r, ignored) -> {
                throw new NodeException.Unavailable("node " + id + " did not catch up with the leader's log within "
                    + catchUpTimeout.toSeconds() + " s (is it running and reachable at its peer address?); "
                    + "it was removed again", 1);
              });
        });
  }

  static boolean caughtUp(Status st, long id, long learnerIndex) {
    Status.PeerProgress p = st.progress().get(id);
    return p != null && p.match() >= learnerIndex && p.match() >= st.commitIndex() - MAX_LAG;
  }

  private static Optional<Long> bestOtherVoter(Status s) {
    return s.progress().entrySet().stream()
        .filter(e -> e.getKey() != s.id() && s.conf().voters().contains(e.getKey()))
        .max(Comparator.comparingLong((Map.Entry<Long, Status.PeerProgress> e) -> e.getValue().match()))
        .map(Map.Entry::getKey);
  }

  /** Polls the published status until {@code done} holds, or fails Unavailable after {@code timeout}. */
  private CompletableFuture<Void> await(Predicate<Status> done, Duration timeout, String timeoutMessage) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledFuture<?> poll = timer.scheduleWithFixedDelay(() -> {
      NodeStatus ns = loop.status();
      if (ns != null && done.test(ns.raft())) {
        f.complete(null);
      } else if (System.nanoTime() - deadline >= 0 || !loop.isRunning()) {
        f.completeExceptionally(new NodeException.Unavailable(timeoutMessage, 1));
      }
    }, 0, pollMs, TimeUnit.MILLISECONDS);
    f.whenComplete((v, e) -> poll.cancel(false));
    return f;
  }

  private CompletableFuture<Void> release(CompletableFuture<Void> op) {
    return op.whenComplete((v, e) -> busy.set(false));
  }

  private static CompletableFuture<Void> conflict() {
    return CompletableFuture.failedFuture(new NodeException.Rejected(Reason.CONF_CHANGE_PENDING,
        "another membership change is in progress"));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
