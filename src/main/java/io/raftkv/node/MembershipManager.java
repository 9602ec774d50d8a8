package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.ProposalRejectedException.Reason;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Membership changes and leadership transfer, one change at a time. "A change in flight" is read from
 * replicated state on the leader's loop thread — a configuration entry not yet applied, or a learner
 * that joined to become a voter and is not promoted yet — so a new leader refuses a second change just
 * as the old one did, and {@link LearnerPromotions} finishes or rolls back the join. A new member joins
 * as a learner; the request answers once the member is a voter (or removed again) in the applied
 * configuration. Outcomes are always read from the applied (committed) membership, never from the
 * core's effective-on-append one, which a new leader may still overwrite. On a follower each operation
 * is forwarded to the leader and runs there.
 */
public final class MembershipManager implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(MembershipManager.class.getName());

  private final RaftLoop loop;
  private final Duration catchUpTimeout;
  private final Duration transferTimeout;
  /** How long a removal may take to commit and reach this node once proposed. */
  private final Duration commitTimeout;
  private final long pollMs;
  /** Awaits still polling; {@link #close} settles them. */
  private final Set<CompletableFuture<Boolean>> waiting = ConcurrentHashMap.newKeySet();
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
    this.commitTimeout = transferTimeout.plusMillis(c.requestTimeoutMs());
    this.pollMs = c.heartbeatMs();
    LearnerPromotions promotions = new LearnerPromotions(loop, catchUpTimeout, this::refusalExcept);
    timer.scheduleWithFixedDelay(() -> promotions.poll(System.nanoTime()), pollMs, pollMs, TimeUnit.MILLISECONDS);
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
    boolean wasMember = before != null && applied().isMember(id);
    return onLeader(() -> removeAsLeader(id), ForwardCodec.Kind.REMOVE_MEMBER, ForwardCodec.write(o -> o.writeLong(id)))
        .exceptionallyCompose(e -> wasMember ? removedAnyway(id, e) : CompletableFuture.failedFuture(e));
  }

  /**
   * A removal forwarded to the node being removed (it is the leader: it hands over, then has the new
   * leader remove it) may lose its reply when the removal applies there. Success only once this node
   * has applied the removal, i.e. it was committed; an appended removal can still be overwritten by a
   * new leader, and then the original failure stands.
   */
  private CompletableFuture<Void> removedAnyway(long id, Throwable failure) {
    Throwable cause = NodeException.unwrap(failure);
    boolean replyLost = cause instanceof NodeException.Unavailable || cause instanceof NodeException.OutcomeUnknown;
    if (!replyLost) return CompletableFuture.failedFuture(failure);
    return await(() -> !applied().isMember(id), commitTimeout)
        .handle((removed, e) -> {
          if (e != null || !removed) throw failure instanceof RuntimeException r ? r : new CompletionException(failure);
          LOG.info("node " + id + " was removed (its own reply was cut off by the removal)");
          return null;
        });
  }

  /** Transfers leadership to {@code to}, or to the most up-to-date other voter when {@code to} is 0. */
  public CompletableFuture<Void> transferLeader(long to) {
    return onLeader(() -> transferAsLeader(to), ForwardCodec.Kind.TRANSFER, ForwardCodec.write(o -> o.writeLong(to)));
  }

  private CompletableFuture<Void> onLeader(Supplier<CompletableFuture<Void>> local, ForwardCodec.Kind kind,
      byte[] args) {
    long leader = loop.leaderId();
    if (leader == loop.nodeId()) return local.get();
    if (leader == 0) return CompletableFuture.failedFuture(new NodeException.NotLeader(0));
    // Adding a member may wait for it to catch up; removing the leader itself includes a transfer.
    Duration runTime = joinTimeout().plus(transferTimeout).plus(transferTimeout);
    return loop.forwardClient().admin(leader, kind, args, runTime).thenApply(r -> null);
  }

  // ------------------------------------------------------------ leader side (also forwarded requests)

  CompletableFuture<Void> addAsLeader(long id, String peer, String http) {
    NodeStatus ns = loop.status();
    if (ns == null || !loop.isLeader()) return notLeader();
    Status s = ns.raft();
    if (s.conf().voters().contains(id)) {
      return CompletableFuture.failedFuture(
          new NodeException.Rejected(Reason.INVALID, "node " + id + " is already a voter"));
    }
    if (s.conf().learners().contains(id) && loop.members().joining().containsKey(id)) {
      return awaitJoined(id); // a retried add waits for the promotion already under way
    }
    byte[] context = loop.addressBook().encodeContext(id, peer, http, true);
    return loop.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, id, context), refusalExcept(0L))
        .thenCompose(v -> {
          LOG.info("node " + id + " added as a learner; it becomes a voter once caught up");
          return awaitJoined(id);
        });
  }

  CompletableFuture<Void> removeAsLeader(long id) {
    NodeStatus ns = loop.status();
    if (ns == null || !loop.isLeader()) return notLeader();
    if (!ns.raft().conf().isMember(id)) {
      return CompletableFuture.failedFuture(new NodeException.NotFound("node " + id + " is not a member"));
    }
    if (id == loop.nodeId()) {
      // A leader removing itself hands off first, then asks the new leader to remove it; refused up
      // front when another change is in flight (the new leader would refuse it too).
      return transfer(0, true).thenCompose(v -> removeAfterHandOver(id, System.nanoTime() + transferTimeout.toNanos()));
    }
    // Removing a joining learner itself is allowed: it cancels that join.
    return loop.proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, id, new byte[0]), refusalExcept(id))
        .thenAccept(v -> LOG.info("node " + id + " was removed"));
  }

  /**
   * The new leader refuses changes (409) until it has committed an entry of its own term; another
   * change in flight was refused before the hand-over. So a 409 now is that short window: retry it
   * until {@code deadlineNanos}.
   */
  private CompletableFuture<Void> removeAfterHandOver(long id, long deadlineNanos) {
    return removeMember(id).exceptionallyCompose(e -> {
      boolean fresh = NodeException.unwrap(e) instanceof NodeException.Rejected r
          && r.reason() == Reason.CONF_CHANGE_PENDING;
      if (!fresh || System.nanoTime() - deadlineNanos >= 0) return CompletableFuture.failedFuture(e);
      return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(pollMs, TimeUnit.MILLISECONDS))
          .thenCompose(v -> removeAfterHandOver(id, deadlineNanos));
    });
  }

  CompletableFuture<Void> transferAsLeader(long to) {
    return transfer(to, false);
  }

  private CompletableFuture<Void> transfer(long to, boolean refuseIfChangePending) {
    if (!loop.isLeader()) return notLeader();
    return loop.call(core -> {
      Status s = core.status();
      NodeException refused = refuseIfChangePending ? refusalExcept(0L).apply(s)
          : s.role() != Role.LEADER ? new NodeException.NotLeader(s.leader()) : null;
      if (refused != null) throw refused;
      long target = to != 0 ? to : bestOtherVoter(s).orElse(0L);
      if (target == 0) throw new NodeException.Rejected(Reason.INVALID, "no other voter to transfer to");
      if (target == s.id()) return target;
      if (!s.conf().voters().contains(target)) {
        throw new NodeException.Rejected(Reason.INVALID, "node " + target + " is not a voter");
      }
      core.transferLeadership(target);
      return target;
    }).thenCompose(target -> target == loop.nodeId() ? CompletableFuture.completedFuture(null)
        : await(() -> loop.status().raft().leader() == target, transferTimeout).thenAccept(done -> {
          if (!done) {
            throw new NodeException.Unavailable("leadership transfer to " + target + " did not complete in time", 1);
          }
        }));
  }

  // ------------------------------------------------------------ in flight, from replicated state

  /**
   * On the loop thread, just before a proposal about {@code subject} (0: none): why it must wait, or
   * null. Another change is in flight when a configuration entry is not applied yet (uncommitted, or
   * committed and not yet applied here), when a learner added to become a voter is not promoted yet
   * (unless it is the subject: its own promotion or removal), or during a leadership transfer.
   */
  private Function<Status, NodeException> refusalExcept(long subject) {
    return s -> {
      if (s.role() != Role.LEADER) return new NodeException.NotLeader(s.leader());
      ConfState applied = loop.members().appliedConf();
      if (!s.conf().equals(applied)) {
        return conflict("a membership change is not committed yet (members " + s.conf() + ", committed "
            + applied + ")");
      }
      for (long id : loop.members().joining().keySet()) {
        if (id != subject && s.conf().learners().contains(id)) {
          return conflict("node " + id + " is joining: a learner that becomes a voter once caught up "
              + "(or is removed again after " + catchUpTimeout.toSeconds() + " s)");
        }
      }
      if (s.leadTransferee() != 0) return conflict("a leadership transfer is in progress");
      return null;
    };
  }

  // ------------------------------------------------------------ helpers

  /** The longest an add waits: the catch-up timeout, then the removal committing. */
  private Duration joinTimeout() {
    return catchUpTimeout.plus(commitTimeout);
  }

  /** Completes once {@code id} is a voter in the applied membership; fails once it was removed again. */
  private CompletableFuture<Void> awaitJoined(long id) {
    return await(() -> !applied().learners().contains(id), joinTimeout()).thenAccept(settled -> {
      if (applied().voters().contains(id)) {
        LOG.info("node " + id + " is now a voter");
        return;
      }
      if (!settled) {
        throw new NodeException.Unavailable("node " + id + " is still a learner: not caught up with the leader's log "
            + "yet; the leader promotes it once it is, or removes it again; retry to keep waiting", 1);
      }
      throw new NodeException.Unavailable("node " + id + " did not catch up with the leader's log within "
          + catchUpTimeout.toSeconds() + " s (is it running and reachable at its peer address?); "
          + "it was removed again", 1);
    });
  }

  private static Optional<Long> bestOtherVoter(Status s) {
    return s.progress().entrySet().stream()
        .filter(e -> e.getKey() != s.id() && s.conf().voters().contains(e.getKey()))
        .max(Comparator.comparingLong((Map.Entry<Long, Status.PeerProgress> e) -> e.getValue().match()))
        .map(Map.Entry::getKey);
  }

  /** The membership as of this node's applied index: committed changes only. */
  private ConfState applied() {
    return loop.members().appliedConf();
  }

  /**
   * Polls until {@code done} holds (true) or {@code timeout} passes or the loop stops (false).
   */
  private CompletableFuture<Boolean> await(BooleanSupplier done, Duration timeout) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    waiting.add(f);
    try {
      ScheduledFuture<?> poll = timer.scheduleWithFixedDelay(() -> {
        if (loop.status() != null && done.getAsBoolean()) {
          f.complete(true);
        } else if (System.nanoTime() - deadline >= 0 || !loop.isRunning()) {
          f.complete(false);
        }
      }, 0, pollMs, TimeUnit.MILLISECONDS);
      f.whenComplete((v, e) -> poll.cancel(false));
    } catch (RejectedExecutionException closed) {
      f.complete(false);
    }
    f.whenComplete((v, e) -> waiting.remove(f));
    return f;
  }

  private CompletableFuture<Void> notLeader() {
    return CompletableFuture.failedFuture(new NodeException.NotLeader(loop.isLeader() ? 0 : loop.leaderId()));
  }

  private static NodeException conflict(String why) {
    return new NodeException.Rejected(Reason.CONF_CHANGE_PENDING, "another membership change is in progress: " + why);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (CompletableFuture<Boolean> f : waiting) f.complete(false); // the poller is gone: settle them now
  }
}
