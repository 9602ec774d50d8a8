package io.raftkv.raft;

/**
 * The state Raft must persist before answering messages: current term, the vote cast in that term
 * ({@code 0} = none) and the commit index (persisted so a restart does not re-derive it slowly).
 */
public record HardState(long term, long vote, long commit) {
  public static final HardState EMPTY = new HardState(0, 0, 0);

  public HardState {
    if (term < 0 || vote < 0 || commit < 0) {
      throw new IllegalArgumentException("negative hard state: " + term + "/" + vote + "/" + commit);
    }
  }
}
