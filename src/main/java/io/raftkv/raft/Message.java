package io.raftkv.raft;

import java.util.List;
import java.util.Objects;

/**
 * A Raft message. Fields follow etcd's raftpb.Message; unused fields are zero/empty.
 *
 * @param logTerm    term of the entry at {@code index} (APPEND, votes), or the conflict hint term on a
 *                   rejected APPEND_RESPONSE
 * @param index      APPEND: index preceding {@code entries}; APPEND_RESPONSE: last matching index, or the
 *                   rejected index; votes: candidate's last index; READ_INDEX_RESPONSE: the read index;
 *                   HEARTBEAT: the leader's tick counter when sent, echoed in HEARTBEAT_RESPONSE (lease
 *                   clock); READ_INDEX: 1 if the forwarded read may be answered from the leader's lease
 * @param rejectHint on a rejected APPEND_RESPONSE: the follower's suggested next probe index
 * @param snapshot   SNAPSHOT only; {@link SnapshotMeta#EMPTY} otherwise
 * @param context    READ_INDEX*: the requester's read id; HEARTBEAT*: the leader's 8-byte read-round id
 *                   (empty when no read is pending); on VOTE/PRE_VOTE the bytes
 *                   {@code "TRANSFER"} mark a campaign forced by TIMEOUT_NOW; empty otherwise
 */
public record Message(
    MessageType type,
    long from,
    long to,
    long term,
    long logTerm,
    long index,
    List<Entry> entries,
    long commit,
    boolean reject,
    long rejectHint,
    SnapshotMeta snapshot,
    byte[] context) {

  private static final byte[] NO_CONTEXT = new byte[0];

  public Message {
    Objects.requireNonNull(type, "type");
    entries = entries == null ? List.of() : List.copyOf(entries);
    snapshot = snapshot == null ? SnapshotMeta.EMPTY : snapshot;
    context = context == null ? NO_CONTEXT : context;
  }

  public static Builder builder(MessageType type, long from, long to, long term) {
    return new Builder(type, from, to, term);
  }

  /** Total entry bytes carried (for batching limits and metrics). */
  public long entryBytes() {
    long sum = 0;
    for (Entry e : entries) sum += e.sizeBytes();
    return sum;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(from).append("->").append(to).append(' ').append(type).append(" term=").append(term);
    if (logTerm != 0 || index != 0) sb.append(" log=").append(logTerm).append('/').append(index);
    if (commit != 0) sb.append(" commit=").append(commit);
    if (reject) sb.append(" reject hint=").append(rejectHint);
    if (!entries.isEmpty()) sb.append(" entries=").append(entries);
    if (!snapshot.isEmpty()) sb.append(" snapshot=").append(snapshot.index()).append('/').append(snapshot.term());
    if (context.length > 0) sb.append(" ctx=").append(context.length).append('B');
    return sb.toString();
  }

  /** Mutable builder so the core can fill only the fields a message type uses. */
  public static final class Builder {
    private final MessageType type;
    private final long from;
    private final long to;
    private final long term;
    private long logTerm;
    private long index;
    private List<Entry> entries = List.of();
    private long commit;
    private boolean reject;
    private long rejectHint;
    private SnapshotMeta snapshot = SnapshotMeta.EMPTY;
    private byte[] context = NO_CONTEXT;

    private Builder(MessageType type, long from, long to, long term) {
      this.type = type;
      this.from = from;
      this.to = to;
      this.term = term;
    }

    public Builder logTerm(long v) { this.logTerm = v; return this; }
    public Builder index(long v) { this.index = v; return this; }
    public Builder entries(List<Entry> v) { this.entries = v; return this; }
    public Builder commit(long v) { this.commit = v; return this; }
    public Builder reject(boolean v) { this.reject = v; return this; }
    public Builder rejectHint(long v) { this.rejectHint = v; return this; }
    public Builder snapshot(SnapshotMeta v) { this.snapshot = v; return this; }
    public Builder context(byte[] v) { this.context = v; return this; }

    public Message build() {
      return new Message(type, from, to, term, logTerm, index, entries, commit, reject, rejectHint,
          snapshot, context);
    }
  }
}
