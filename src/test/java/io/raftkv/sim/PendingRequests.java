package io.raftkv.sim;

import io.raftkv.raft.Entry;
import io.raftkv.raft.ReadState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client requests one node is waiting on (volatile: a crash forgets them and the clients time out).
 * A write waits for its log index to be applied; it succeeded only if the applied entry is the one it
 * proposed (same term and operation id), and definitely failed if another entry took the slot.
 */
final class PendingRequests {

  /** Who waits for a write's outcome: a {@link SimClient}, or a node's {@link SimExpiryTicker}. */
  interface Requester {
    void onResult(Operation op, KvOp.Result result);

    void onFailed(Operation op);
  }

  record Write(Requester client, Operation op, long term) {}

  record Read(SimClient client, Operation op) {}

  private final TreeMap<Long, Write> writesByIndex = new TreeMap<>();
  private final Map<Long, Read> readsById = new HashMap<>();
  private final TreeMap<Long, List<Read>> readsAwaitingApply = new TreeMap<>();

  void addWrite(long index, Write w) {
    writesByIndex.put(index, w);
  }

  void addRead(Read r) {
    readsById.put(r.op().id(), r);
  }

  static byte[] context(Operation op) {
    return ByteBuffer.allocate(8).putLong(op.id()).array();
  }

  /** Settles the write waiting on {@code e.index()}, given what applying it returned. */
  void onApplied(Entry e, SimStateMachine.Command command, KvOp.Result result) {
    Write w = writesByIndex.remove(e.index());
    if (w == null) return;
    boolean ours = e.term() == w.term() && command != null && command.opId() == w.op().id();
    if (ours) {
      w.client().onResult(w.op(), result);
    } else {
      w.client().onFailed(w.op());
    }
  }

  /** A snapshot skipped indexes: writes waiting there can no longer be told apart, leave them unknown. */
  void onSnapshotInstalled(long index) {
    writesByIndex.headMap(index, true).clear();
  }

  /** Attaches the read point to its request; the read is served once {@code applied} reaches it. */
  void onReadState(ReadState rs, long applied, SimStateMachine kv) {
    if (rs.context().length != 8) return;
    Read r = readsById.remove(ByteBuffer.wrap(rs.context()).getLong());
    if (r == null) return;
    if (rs.index() <= applied) {
      serve(r, kv);
    } else {
      readsAwaitingApply.computeIfAbsent(rs.index(), k -> new ArrayList<>()).add(r);
    }
  }

  void serveReadsUpTo(long applied, SimStateMachine kv) {
    Iterator<Map.Entry<Long, List<Read>>> it = readsAwaitingApply.headMap(applied, true).entrySet().iterator();
    while (it.hasNext()) {
      for (Read r : it.next().getValue()) serve(r, kv);
      it.remove();
    }
  }

  static void serve(Read r, SimStateMachine kv) {
    r.client().onResult(r.op(), kv.read(r.op().op()));
  }
}
