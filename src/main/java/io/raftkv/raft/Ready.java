package io.raftkv.raft;

import java.util.List;

/**
 * Everything the driver must do, in this order, before calling {@link RaftNode#advance(Ready)}:
 * <ol>
 *   <li>If {@code snapshot} is non-null: install the snapshot (its bytes arrived with the SNAPSHOT
 *       message) — restore the state machine and reset the durable log to it.</li>
 *   <li>Persist {@code entries} (replacing any conflicting suffix at and after the first entry's
 *       index) and {@code hardState} (if non-null) atomically and durably.</li>
 *   <li>Send {@code messages}. Those for which {@link #maySendBeforePersist(Message)} is true may be sent
 *       before step 2 completes (a leader's appends, Raft thesis §10.2.1); all others only after.</li>
 *   <li>Apply {@code committedEntries} in order; then serve {@code readStates} whose index is applied.</li>
 * </ol>
 *
 * @param softState        non-null when leader or role changed since the last Ready
 * @param hardState        non-null when term, vote or commit changed
 * @param confState        non-null when the effective membership changed (the driver connects/disconnects peers)
 * @param mustSync         true when entries or term/vote changed (commit-only changes need no fsync)
 * @param fromLeader       true when this node was leader (in the hard state's term) when the Ready was built
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    ConfState confState,
    List<Entry> entries,
    SnapshotMeta snapshot,
    List<Message> messages,
    List<Entry> committedEntries,
    List<ReadState> readStates,
    boolean mustSync,
    boolean fromLeader) {

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
  }

  /** True for messages a leader may send before its own append is durable. */
  public boolean maySendBeforePersist(Message m) {
    return fromLeader && (m.type() == MessageType.APPEND || m.type() == MessageType.HEARTBEAT);
  }

  public boolean isEmpty() {
    return softState == null && hardState == null && confState == null && entries.isEmpty()
        && snapshot == null && messages.isEmpty() && committedEntries.isEmpty() && readStates.isEmpty();
  }
}
