package io.raftkv.raft;

/** A proposal, conf change, read or transfer the core cannot accept now. The caller may retry elsewhere. */
public final class ProposalRejectedException extends RuntimeException {

  public enum Reason {
    /** This node is not the leader; {@link #leaderHint()} names the leader if known (0 otherwise). */
    NOT_LEADER,
    /** A leadership transfer is under way; proposals resume when it completes or times out. */
    TRANSFER_IN_PROGRESS,
    /** Too many uncommitted bytes in the leader's log (back-pressure). */
    UNCOMMITTED_LIMIT,
    /** Another membership change is not yet committed/applied, or the leader has not committed in its term. */
    CONF_CHANGE_PENDING,
    /** The request is invalid for the current membership (e.g. removing a non-member, transfer to a learner). */
    INVALID
  }

  private final Reason reason;
  private final long leaderHint;

  public ProposalRejectedException(Reason reason, long leaderHint, String detail) {
    super(reason + ": " + detail, null, false, false);
    this.reason = reason;
    this.leaderHint = leaderHint;
  }

  public Reason reason() {
    return reason;
  }

  public long leaderHint() {
    return leaderHint;
  }
}
