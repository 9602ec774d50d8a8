package io.raftkv.sim;

import io.raftkv.kv.Condition;
import io.raftkv.kv.ExpiryTracker;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvCommandCodec;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvResult;
import io.raftkv.kv.KvResultCodec;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import io.raftkv.raft.ConfChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated node's state machine: the production {@link KvStateMachine}, fed the production command
 * encoding ({@link KvCommandCodec}), its results mapped to what the sim's clients report. The
 * checker's model ({@link KvSpec}) is separate code, so the simulator judges the real apply logic
 * (puts, deletes, conditional puts, txns, range reads, TTLs and expiry) as well as the Raft core. The
 * node's {@link ExpiryTracker} (deadlines on the simulated clock) is the one the state machine reports
 * TTLs to, as in production; {@link SimExpiryTicker} reads it.
 */
final class SimStateMachine {

  /**
   * A write as it travels in a log entry: the sim's framing (client, operation id, and for the planted
   * bug of {@link Scenario#txnComparedAtProposer} the branch the proposer chose: 0 none, 1 success,
   * 2 failure) in front of the production command bytes. Commands go without a client session
   * (client id 0): each sim write is proposed once, so there are no retries to deduplicate.
   */
  record Command(long clientId, long opId, KvOp op, byte forcedBranch) {
    private static final int HEADER = 8 + 8 + 1;

    Command(long clientId, long opId, KvOp op) {
      this(clientId, opId, op, (byte) 0);
    }

    byte[] encode() {
      byte[] cmd = KvCommandCodec.encode(toKvCommand(op));
      return ByteBuffer.allocate(HEADER + cmd.length).putLong(clientId).putLong(opId).put(forcedBranch).put(cmd)
          .array();
    }

    static Command decode(byte[] data) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      long client = buf.getLong();
      long opId = buf.getLong();
      byte forced = buf.get();
      KvCommand cmd = KvCommandCodec.decode(Arrays.copyOfRange(data, HEADER, data.length));
      return new Command(client, opId, toKvOp(cmd), forced);
    }
  }

  private final KvStateMachine sm;
  private final ExpiryTracker expiries;
  /** Planted bug ({@link Scenario#expireIgnoresModRevision}): see {@link #withCurrentRevisions}. */
  private final boolean expireIgnoresModRevision;
  /** Planted bug ({@link Scenario#expiresLocally}): see {@link #read}. */
  private final boolean expiresLocally;

  /**
   * A fresh state machine, or one restored from {@code snapshot} (empty: none), reporting TTLs to
   * {@code expiries} (a restore starts every TTL over, as in production).
   */
  SimStateMachine(byte[] snapshot, ExpiryTracker expiries, Scenario.PlantedBugs bugs) {
    this.sm = new KvStateMachine(expiries);
    this.expiries = expiries;
    this.expireIgnoresModRevision = bugs.expireIgnoresModRevision();
    this.expiresLocally = bugs.expiresLocally();
    if (snapshot.length == 0) return;
    try {
      sm.restore(new ByteArrayInputStream(snapshot));
    } catch (IOException e) {
      throw new UncheckedIOException("snapshot does not restore", e);
    }
  }

  /** Applies a command entry at {@code index} and returns what its client sees. */
  KvOp.Result apply(long index, Command command) {
    KvCommand cmd = toKvCommand(command.op());
    if (expireIgnoresModRevision && cmd instanceof KvCommand.Expire e) cmd = withCurrentRevisions(e);
    KvResult result = KvResultCodec.decodeFor(cmd, sm.apply(index, KvCommandCodec.encode(cmd)));
    return toResult(index, result, command.forcedBranch());
  }

  void applyNoop(long index) {
    sm.applyNoop(index);
  }

  void applyMemberChange(long index, ConfChange change) {
    sm.applyMemberChange(index, change);
  }

  /**
   * A read of the applied state (the caller decides whether that is linearizable). With the planted bug
   * of {@link Scenario#expiresLocally} a get treats a key whose TTL ran out on this node's clock as gone,
   * without waiting for the leader's expire in the log (docs/ttl.md: "No node deletes a key on its own").
   */
  KvOp.Result read(KvOp op) {
    if (op.kind() == KvOp.Kind.RANGE) return KvOp.Result.range(sm.range(op.range()));
    KvEntry entry = sm.get(op.key()).orElse(null);
    if (expiresLocally && entry != null && entry.hasTtl() && expiries.due(KvCommand.Expire.MAX_KEYS, Long.MAX_VALUE)
        .contains(new KvCommand.Due(entry.key(), entry.modRevision()))) {
      entry = null;
    }
    return KvOp.Result.readEntry(entry);
  }

  byte[] snapshot() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      sm.captureSnapshot().writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Every key's entry (the sim's key spaces are tiny). */
  Map<String, KvEntry> contents() {
    Map<String, KvEntry> all = new TreeMap<>();
    for (KvEntry e : sm.range(RangeQuery.all().withLimit(RangeQuery.MAX_LIMIT)).entries()) all.put(e.key(), e);
    return all;
  }

  static KvCommand toKvCommand(KvOp op) {
    return switch (op.kind()) {
      case PUT -> new KvCommand.Put(0, 0, op.key(), op.value(), Condition.NONE, op.ttlSeconds());
      case EXPIRE -> new KvCommand.Expire(op.expires());
      case CAS -> new KvCommand.Put(0, 0, op.key(), op.value(), Condition.valueEquals(op.expected()));
      case DELETE -> new KvCommand.Delete(0, 0, op.key());
      case TXN -> new KvCommand.Transaction(0, 0, op.txn());
      case GET, RANGE -> throw new IllegalArgumentException("reads are not log entries: " + op);
    };
  }

  private static KvOp toKvOp(KvCommand cmd) {
    if (cmd instanceof KvCommand.Delete d) return KvOp.delete(d.key());
    if (cmd instanceof KvCommand.Transaction t) return KvOp.txn(t.txn());
    if (cmd instanceof KvCommand.Expire e) return KvOp.expire(e.keys());
    KvCommand.Put p = (KvCommand.Put) cmd;
    if (p.condition().kind() == Condition.Kind.VALUE_EQUALS) return KvOp.cas(p.key(), p.condition().value(), p.value());
    return p.ttlSeconds() > 0 ? KvOp.putWithTtl(p.key(), p.value(), p.ttlSeconds()) : KvOp.put(p.key(), p.value());
  }

  /**
   * The planted bug of {@link Scenario#expireIgnoresModRevision}: every replica applies an expire as if
   * it named each key's current mod revision, so a key that still has a TTL is deleted even when a put
   * (with a new TTL) raced the expiry. Deterministic, so the replicas agree: only the checker can tell.
   */
  private KvCommand.Expire withCurrentRevisions(KvCommand.Expire expire) {
    java.util.List<KvCommand.Due> keys = new java.util.ArrayList<>();
    for (KvCommand.Due due : expire.keys()) {
      KvEntry current = sm.get(due.key()).orElse(null);
      keys.add(current != null && current.hasTtl() ? new KvCommand.Due(due.key(), current.modRevision()) : due);
    }
    return new KvCommand.Expire(keys);
  }

  /** Every write result carries the entry's index as its revision (a failed cas or delete too). */
  private static KvOp.Result toResult(long index, KvResult result, byte forcedBranch) {
    if (result instanceof KvResult.Ok ok) return KvOp.Result.written(true, index, ok.entry());
    if (result instanceof KvResult.NotFound || result instanceof KvResult.PreconditionFailed) {
      return KvOp.Result.written(false, index, null);
    }
    if (result instanceof KvResult.TxnDone done) {
      TxnOutcome o = done.outcome();
      if (forcedBranch != 0) o = new TxnOutcome(forcedBranch == 1, o.revision(), o.results());
      return KvOp.Result.txn(o);
    }
    throw new IllegalStateException("the state machine refused a sim command at " + index + ": " + result);
  }

  /**
   * The planted bug of {@link Scenario#txnComparedAtProposer}: the proposer evaluates the compares on
   * its own applied state and replicates only the chosen branch, unconditionally (compare and write
   * not atomic). Returns the command to propose.
   */
  Command decidedAtProposer(long clientId, long opId, Txn txn) {
    boolean holds = true;
    for (Txn.Compare c : txn.compares()) holds &= c.holds(sm.get(c.key()).orElse(null));
    Txn branchOnly = new Txn(java.util.List.of(), holds ? txn.success() : txn.failure(), java.util.List.of());
    return new Command(clientId, opId, KvOp.txn(branchOnly), (byte) (holds ? 1 : 2));
  }
}
