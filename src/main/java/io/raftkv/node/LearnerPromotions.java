package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The leader's side of a join, driven by replicated state rather than by the request that started it:
 * every learner whose entry marked it as joining ({@link MemberRegistry#joining()}) is promoted to
 * voter once caught up, or removed again when it has not caught up within the catch-up timeout of this
 * leader's term. So a new leader finishes (or rolls back) a promotion its predecessor began. Polled on
 * the membership timer; at most one of its proposals is outstanding.
 */
final class LearnerPromotions {
  private static final Logger LOG = Logger.getLogger(LearnerPromotions.class.getName());
  /** How far behind the leader's commit index a learner may be when it is promoted. */
  static final long MAX_LAG = 100;

  private final RaftLoop loop;
  private final long catchUpNanos;
  /** The refusal check for a proposal about {@code id} (other changes in flight), run on the loop thread. */
  private final Function<Long, Function<Status, NodeException>> refusalExcept;
  private final AtomicBoolean proposing = new AtomicBoolean();
  /** The last change announced in the log: a refused proposal is retried every poll, announced once. */
  private volatile ConfChange announced;
  /** Timer thread only: when this leader (in {@link #term}) first saw each joining learner. */
  private final Map<Long, Long> firstSeenNanos = new HashMap<>();
  private long term;

  LearnerPromotions(RaftLoop loop, Duration catchUpTimeout,
      Function<Long, Function<Status, NodeException>> refusalExcept) {
    this.loop = loop;
    this.catchUpNanos = catchUpTimeout.toNanos();
    this.refusalExcept = refusalExcept;
  }

  /**
   * Caught up: the learner's match index has reached the entry that added it (it answered at least one
   * round and holds its own admission) and is within {@link #MAX_LAG} of the leader's commit.
   */
  static boolean caughtUp(Status st, long id, long learnerIndex) {
    Status.PeerProgress p = st.progress().get(id);
    return p != null && p.match() >= learnerIndex && p.match() >= st.commitIndex() - MAX_LAG;
  }

  void poll(long nowNanos) {
    NodeStatus ns = loop.status();
    if (ns == null || ns.raft().role() != Role.LEADER) {
      firstSeenNanos.clear();
      return;
    }
    Status st = ns.raft();
    if (st.term() != term) {
      firstSeenNanos.clear(); // the deadline runs per leader: a new one gives the learner a full timeout
      term = st.term();
    }
    Map<Long, Long> joining = loop.members().joining();
    firstSeenNanos.keySet().retainAll(joining.keySet());
    for (Map.Entry<Long, Long> e : joining.entrySet()) {
      long id = e.getKey();
      if (!st.conf().learners().contains(id)) continue; // its promotion or removal is in the log already
      long first = firstSeenNanos.computeIfAbsent(id, k -> nowNanos);
      if (caughtUp(st, id, e.getValue())) {
        propose(new ConfChange(ConfChange.Type.ADD_VOTER, id, promotionContext(id)),
            "node " + id + " caught up; promoting it to voter");
        return;
      }
      if (nowNanos - first >= catchUpNanos) {
        propose(new ConfChange(ConfChange.Type.REMOVE_NODE, id, new byte[0]), "node " + id
            + " did not catch up within " + catchUpNanos / 1_000_000_000 + " s; removing it again");
        return;
      }
    }
  }

  /** The member's addresses without the joining mark: replicated, it ends the join. */
  private byte[] promotionContext(long id) {
    AddressBook book = loop.addressBook();
    AddressBook.Member m = book.get(id);
    return book.encodeContext(id, m == null ? null : m.peer(), m == null ? null : m.http(), false);
  }

  private void propose(ConfChange change, String why) {
    if (!proposing.compareAndSet(false, true)) return;
    if (!change.equals(announced)) LOG.info(why);
    announced = change;
    loop.proposeConfChange(change, refusalExcept.apply(change.nodeId()))
        .whenComplete((v, e) -> {
          proposing.set(false);
          if (e != null) {
            LOG.fine(() -> change + " not applied (" + NodeException.unwrap(e).getMessage() + "); retrying");
          }
        });
  }
}
