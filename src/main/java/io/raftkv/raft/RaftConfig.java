package io.raftkv.raft;

import java.util.EnumSet;
import java.util.Set;

/**
 * Static configuration of one Raft core. Times are in ticks; the driver decides how long a tick is.
 *
 * @param id                    this node's id (positive)
 * @param electionTicks         base election timeout; the actual timeout is random in [e, 2e)
 * @param heartbeatTicks        leader heartbeat interval (must be &lt; electionTicks)
 * @param maxSizePerMsg         max entry bytes per APPEND (at least one entry is always sent)
 * @param maxInflightMsgs       pipelining window: max unacknowledged APPENDs per follower
 * @param maxUncommittedBytes   leader refuses proposals beyond this many uncommitted entry bytes (0 = unlimited)
 * @param maxCommittedBytesPerReady cap on committed entry bytes handed out in one Ready
 * @param preVote               run a PreVote round before a real election
 * @param checkQuorum           leader steps down without a live majority in an election timeout;
 *                              followers that heard from a leader ignore votes for a while
 * @param leaseDriftTicks       clock-drift margin subtracted from the lease; lease reads need checkQuorum
 * @param appliedIndex          index the state machine has already applied at start (its snapshot index)
 * @param deviations            deliberately unsafe behaviours, only for tests proving the simulator
 *                              catches bugs; must be empty in production
 */
public record RaftConfig(
    long id,
    int electionTicks,
    int heartbeatTicks,
    long maxSizePerMsg,
    int maxInflightMsgs,
    long maxUncommittedBytes,
    long maxCommittedBytesPerReady,
    boolean preVote,
    boolean checkQuorum,
    int leaseDriftTicks,
    long appliedIndex,
    Set<Deviation> deviations) {

  /** Deliberate bugs the simulator must catch (see the sim's mutation tests). */
  public enum Deviation {
    /** Commit an entry from an earlier term as soon as a majority stores it (violates Figure 8). */
    COMMIT_PRIOR_TERM_BY_COUNTING,
    /** Answer ReadIndex immediately on the leader without confirming leadership with a quorum. */
    READ_INDEX_WITHOUT_QUORUM_CHECK
  }

  public RaftConfig {
    if (id <= 0) throw new IllegalArgumentException("id must be positive");
    if (heartbeatTicks <= 0 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException("need 0 < heartbeatTicks < electionTicks");
    }
    if (maxInflightMsgs <= 0 || maxSizePerMsg <= 0 || maxCommittedBytesPerReady <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (leaseDriftTicks < 0 || leaseDriftTicks >= electionTicks) {
      throw new IllegalArgumentException("need 0 <= leaseDriftTicks < electionTicks");
    }
    deviations = deviations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(deviations));
  }

  /** Sensible defaults: election 10 ticks, heartbeat 1, PreVote and CheckQuorum on. */
  public static RaftConfig defaults(long id) {
    return new RaftConfig(id, 10, 1, 1 << 20, 256, 64L << 20, 8L << 20, true, true, 1, 0, Set.of());
  }

  public RaftConfig withAppliedIndex(long applied) {
    return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs,
        maxUncommittedBytes, maxCommittedBytesPerReady, preVote, checkQuorum, leaseDriftTicks, applied, deviations);
  }

  public RaftConfig withTicks(int election, int heartbeat) {
    return new RaftConfig(id, election, heartbeat, maxSizePerMsg, maxInflightMsgs,
        maxUncommittedBytes, maxCommittedBytesPerReady, preVote, checkQuorum, leaseDriftTicks, appliedIndex, deviations);
  }

  public RaftConfig withDeviations(Set<Deviation> d) {
    return new RaftConfig(id, electionTicks, heartbeatTicks, maxSizePerMsg, maxInflightMsgs,
        maxUncommittedBytes, maxCommittedBytesPerReady, preVote, checkQuorum, leaseDriftTicks, appliedIndex, d);
  }
}
