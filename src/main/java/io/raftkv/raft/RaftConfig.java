package io.raftkv.raft;

/**
 * Static configuration of one Raft core, built as {@code RaftConfig.defaults(id).withX(...)}. Times are
 * in ticks; the driver decides how long a tick is. Immutable: every {@code withX} returns a checked copy.
 *
 * <ul>
 *   <li>{@code id}: this node's id (positive)</li>
 *   <li>{@code electionTicks}: base election timeout; the actual timeout is random in [e, 2e)</li>
 *   <li>{@code heartbeatTicks}: leader heartbeat interval (must be &lt; electionTicks)</li>
 *   <li>{@code maxSizePerMsg}: max entry bytes per APPEND (at least one entry is always sent)</li>
 *   <li>{@code maxInflightMsgs}: pipelining window, max unacknowledged APPENDs per follower</li>
 *   <li>{@code maxUncommittedBytes}: the leader refuses proposals beyond this many uncommitted entry
 *       bytes (0 = unlimited)</li>
 *   <li>{@code maxCommittedBytesPerReady}: cap on committed entry bytes handed out in one Ready</li>
 *   <li>{@code preVote}: run a PreVote round before a real election</li>
 *   <li>{@code checkQuorum}: the leader steps down without a live majority in an election timeout;
 *       followers that heard from a leader ignore votes for a while</li>
 *   <li>{@code leaseDriftTicks}: clock-drift margin subtracted from the lease; lease reads need
 *       checkQuorum</li>
 *   <li>{@code appliedIndex}: index the state machine has already applied at start (its snapshot
 *       index)</li>
 * </ul>
 */
public final class RaftConfig {
  private final long id;
  private int electionTicks = 10;
  private int heartbeatTicks = 1;
  private long maxSizePerMsg = 1 << 20;
  private int maxInflightMsgs = 256;
  private long maxUncommittedBytes = 64L << 20;
  private long maxCommittedBytesPerReady = 8L << 20;
  private boolean preVote = true;
  private boolean checkQuorum = true;
  private int leaseDriftTicks = 1;
  private long appliedIndex;

  private RaftConfig(long id) {
    this.id = id;
  }

  /** Sensible defaults: election 10 ticks, heartbeat 1, PreVote and CheckQuorum on, drift 1 tick. */
  public static RaftConfig defaults(long id) {
    return new RaftConfig(id).checked();
  }

  public RaftConfig withTicks(int election, int heartbeat) {
    RaftConfig c = copy();
    c.electionTicks = election;
    c.heartbeatTicks = heartbeat;
    return c.checked();
  }

  public RaftConfig withMaxSizePerMsg(long bytes) {
    RaftConfig c = copy();
    c.maxSizePerMsg = bytes;
    return c.checked();
  }

  public RaftConfig withMaxInflightMsgs(int msgs) {
    RaftConfig c = copy();
    c.maxInflightMsgs = msgs;
    return c.checked();
  }

  public RaftConfig withMaxUncommittedBytes(long bytes) {
    RaftConfig c = copy();
    c.maxUncommittedBytes = bytes;
    return c.checked();
  }

  public RaftConfig withMaxCommittedBytesPerReady(long bytes) {
    RaftConfig c = copy();
    c.maxCommittedBytesPerReady = bytes;
    return c.checked();
  }

  public RaftConfig withPreVote(boolean on) {
    RaftConfig c = copy();
    c.preVote = on;
    return c.checked();
  }

  public RaftConfig withCheckQuorum(boolean on) {
    RaftConfig c = copy();
    c.checkQuorum = on;
    return c.checked();
  }

  public RaftConfig withLeaseDriftTicks(int ticks) {
    RaftConfig c = copy();
    c.leaseDriftTicks = ticks;
    return c.checked();
  }

  public RaftConfig withAppliedIndex(long applied) {
    RaftConfig c = copy();
    c.appliedIndex = applied;
    return c.checked();
  }

  private RaftConfig copy() {
    RaftConfig c = new RaftConfig(id);
    c.electionTicks = electionTicks;
    c.heartbeatTicks = heartbeatTicks;
    c.maxSizePerMsg = maxSizePerMsg;
    c.maxInflightMsgs = maxInflightMsgs;
    c.maxUncommittedBytes = maxUncommittedBytes;
    c.maxCommittedBytesPerReady = maxCommittedBytesPerReady;
    c.preVote = preVote;
    c.checkQuorum = checkQuorum;
    c.leaseDriftTicks = leaseDriftTicks;
    c.appliedIndex = appliedIndex;
    return c;
  }

  private RaftConfig checked() {
    if (id <= 0) throw new IllegalArgumentException("id must be positive");
    if (heartbeatTicks <= 0 || electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException("need 0 < heartbeatTicks < electionTicks");
    }
    if (maxInflightMsgs <= 0 || maxSizePerMsg <= 0 || maxCommittedBytesPerReady <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxUncommittedBytes < 0 || appliedIndex < 0) {
      throw new IllegalArgumentException("maxUncommittedBytes and appliedIndex must not be negative");
    }
    if (leaseDriftTicks < 0 || leaseDriftTicks >= electionTicks) {
      throw new IllegalArgumentException("need 0 <= leaseDriftTicks < electionTicks");
    }
    return this;
  }

  public long id() {
    return id;
  }

  public int electionTicks() {
    return electionTicks;
  }

  public int heartbeatTicks() {
    return heartbeatTicks;
  }

  public long maxSizePerMsg() {
    return maxSizePerMsg;
  }

  public int maxInflightMsgs() {
    return maxInflightMsgs;
  }

  public long maxUncommittedBytes() {
    return maxUncommittedBytes;
  }

  public long maxCommittedBytesPerReady() {
    return maxCommittedBytesPerReady;
  }

  public boolean preVote() {
    return preVote;
  }

  public boolean checkQuorum() {
    return checkQuorum;
  }

  public int leaseDriftTicks() {
    return leaseDriftTicks;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  @Override
  public String toString() {
    return "RaftConfig[id=" + id + ", electionTicks=" + electionTicks + ", heartbeatTicks=" + heartbeatTicks
        + ", maxSizePerMsg=" + maxSizePerMsg + ", maxInflightMsgs=" + maxInflightMsgs
        + ", maxUncommittedBytes=" + maxUncommittedBytes + ", maxCommittedBytesPerReady=" + maxCommittedBytesPerReady
        + ", preVote=" + preVote + ", checkQuorum=" + checkQuorum + ", leaseDriftTicks=" + leaseDriftTicks
        + ", appliedIndex=" + appliedIndex + "]";
  }
}
