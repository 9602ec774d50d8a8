package io.raftkv.sim;

import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.RangeResult;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The sequential specification of the store that {@link LinearizabilityChecker} judges histories
 * against: a sorted map key → {@link KvEntry} (value, create and mod revision, version), changed by
 * one {@link KvOp} at a time, a txn atomically. Written from docs/api.md, independently of
 * {@code KvStateMachine}, which the simulator runs.
 *
 * <p><b>Revisions.</b> A write's revision is its log index, which the model cannot predict: it takes
 * the revision the write reported (its result), and {@link KvOp#NOT_REPORTED} (0) when the outcome is
 * unknown or the client saw no revision. A 0 in the model's state matches any reported revision, and a
 * revision compare against it may go either way ({@link #apply} then returns both outcomes). Versions
 * are always known (they count writes). The order of revisions (every write above everything
 * linearized before it, a range's revision at least that) is checked by the search, not here.
 *
 * <p><b>Expiry (TTL).</b> Each entry carries the TTL its last put granted ({@link KvEntry#ttlSeconds()},
 * used as a flag: a put with a TTL sets it; a put without, a cas, a txn put and a delete clear it). An
 * {@link KvOp.Kind#EXPIRE} is a conditional delete at its revision like any write: it removes each
 * listed key that still has a TTL and still has the mod revision the expiry names, and leaves the
 * others alone (docs/ttl.md). When the model holds a key's mod revision as unknown (0), the expiry of
 * that key may go either way and {@link #apply} returns both outcomes. Reads never compare the TTL a
 * node reports (it depends on that node's clock), only the key's presence and its entry.
 */
public final class KvSpec {

  private KvSpec() {}

  /** An immutable state of the whole map (small: the checker works on a few keys at a time). */
  public static final class State {
    public static final State EMPTY = new State(new TreeMap<>());

    private final NavigableMap<String, KvEntry> entries;
    private final int hash;

    private State(TreeMap<String, KvEntry> entries) {
      this.entries = Collections.unmodifiableNavigableMap(entries);
      this.hash = entries.hashCode();
    }

    public KvEntry get(String key) {
      return entries.get(key);
    }

    public Map<String, KvEntry> entries() {
      return entries;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s && hash == s.hash && entries.equals(s.entries);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return entries.values().toString();
    }
  }

  /** One way the op can go from a state: what it returns and the state after it. */
  public record Outcome(KvOp.Result result, State next) {}

  /**
   * The outcomes of {@code op} at {@code state}, given the revision it reports (0 when unknown):
   * exactly one, except for a txn whose revision compare meets a revision the model does not know.
   */
  public static List<Outcome> apply(State state, KvOp op, long revision) {
    return switch (op.kind()) {
      case GET -> List.of(new Outcome(KvOp.Result.readEntry(state.get(op.key())), state));
      case PUT -> List.of(put(state, op.key(), op.value(), revision, op.ttlSeconds()));
      case CAS -> List.of(holdsValue(state.get(op.key()), op.expected())
          ? put(state, op.key(), op.value(), revision, 0)
          : new Outcome(KvOp.Result.written(false, revision, null), state));
      case DELETE -> {
        KvEntry current = state.get(op.key());
        yield List.of(new Outcome(KvOp.Result.written(current != null, revision, null),
            current == null ? state : with(state, op.key(), null)));
      }
      case RANGE -> List.of(new Outcome(KvOp.Result.range(range(state, op.range(), revision)), state));
      case TXN -> txn(state, op.txn(), revision);
      case EXPIRE -> expire(state, op.expires(), revision);
    };
  }

  /**
   * docs/ttl.md: each listed key is deleted only if it still has a TTL and the listed mod revision; an
   * expiry that deletes nothing is still a write at its revision. One outcome per way the keys whose
   * mod revision the model does not know can go.
   */
  private static List<Outcome> expire(State state, List<KvCommand.Due> dues, long revision) {
    List<TreeMap<String, KvEntry>> states = new ArrayList<>();
    states.add(new TreeMap<>(state.entries));
    for (KvCommand.Due due : dues) {
      KvEntry current = state.get(due.key());
      if (current == null || !current.hasTtl()) continue;
      if (current.modRevision() == due.modRevision()) {
        states.forEach(s -> s.remove(due.key()));
      } else if (current.modRevision() == KvOp.NOT_REPORTED) {
        List<TreeMap<String, KvEntry>> expired = new ArrayList<>();
        for (TreeMap<String, KvEntry> s : states) {
          TreeMap<String, KvEntry> without = new TreeMap<>(s);
          without.remove(due.key());
          expired.add(without);
        }
        states.addAll(expired);
      }
    }
    KvOp.Result result = KvOp.Result.written(true, revision, null);
    List<Outcome> outcomes = new ArrayList<>();
    for (TreeMap<String, KvEntry> s : states) {
      outcomes.add(new Outcome(result, s.equals(state.entries) ? state : new State(s)));
    }
    return outcomes;
  }

  private static boolean holdsValue(KvEntry current, String expected) {
    return expected == null ? current == null : current != null && current.value().equals(expected);
  }

  /** A put; {@code ttlSeconds} 0 clears the key's TTL, as every write but a put with a TTL does. */
  private static Outcome put(State state, String key, String value, long revision, long ttlSeconds) {
    KvEntry next = written(state.get(key), key, value, revision).withTtl(ttlSeconds);
    return new Outcome(KvOp.Result.written(true, revision, next), with(state, key, next));
  }

  /** The entry {@code key = value} written at {@code revision} over {@code current} (null: a creation). */
  static KvEntry written(KvEntry current, String key, String value, long revision) {
    return current == null
        ? new KvEntry(key, value, revision, revision, 1)
        : new KvEntry(key, value, current.createRevision(), revision, current.version() + 1);
  }

  private static State with(State state, String key, KvEntry entry) {
    TreeMap<String, KvEntry> copy = new TreeMap<>(state.entries);
    if (entry == null) {
      copy.remove(key);
    } else {
      copy.put(key, entry);
    }
    return new State(copy);
  }

  /** docs/api.md "Range": keys of [start, end) after {@code after}, in order, within limit and bytes. */
  static RangeResult range(State state, RangeQuery q, long revision) {
    List<KvEntry> page = new ArrayList<>();
    int count = 0;
    long bytes = 0;
    boolean more = false;
    for (KvEntry e : state.entries.tailMap(q.start(), true).values()) {
      if (!KvOp.inRange(q, e.key())) {
        if (q.end() != null && e.key().compareTo(q.end()) >= 0) break;
        continue;
      }
      count++;
      if (q.countOnly() || more) continue;
      long size = e.key().getBytes(StandardCharsets.UTF_8).length + e.value().getBytes(StandardCharsets.UTF_8).length;
      if (page.size() == q.limit() || (!page.isEmpty() && bytes + size > q.maxBytes())) {
        more = true;
        continue;
      }
      page.add(e);
      bytes += size;
    }
    return q.countOnly() ? RangeResult.count(revision, count) : RangeResult.items(revision, page, more);
  }

  /**
   * docs/api.md "Transactions": every compare on the state before the txn; then the chosen branch's
   * ops in order, each seeing the earlier ones, all at the txn's revision.
   */
  private static List<Outcome> txn(State state, Txn txn, long revision) {
    Boolean holds = Boolean.TRUE;
    for (Txn.Compare c : txn.compares()) {
      Boolean h = holds(c, state.get(c.key()));
      if (Boolean.FALSE.equals(h)) {
        holds = Boolean.FALSE;
        break;
      }
      if (h == null) holds = null;
    }
    if (holds != null) return List.of(branch(state, holds ? txn.success() : txn.failure(), holds, revision));
    return List.of(branch(state, txn.success(), true, revision), branch(state, txn.failure(), false, revision));
  }

  /** Whether a compare holds; null when it compares a revision the model does not know. */
  static Boolean holds(Txn.Compare c, KvEntry current) {
    return switch (c.target()) {
      case VALUE, VERSION, EXISTS -> c.holds(current);
      case MOD_REVISION -> revisionEquals(current == null ? 0 : current.modRevision(), current, c.number());
      case CREATE_REVISION -> revisionEquals(current == null ? 0 : current.createRevision(), current, c.number());
    };
  }

  private static Boolean revisionEquals(long known, KvEntry current, long wanted) {
    if (current != null && known == KvOp.NOT_REPORTED) return null;
    return known == wanted;
  }

  private static Outcome branch(State before, List<Txn.Op> ops, boolean succeeded, long revision) {
    TreeMap<String, KvEntry> work = new TreeMap<>(before.entries);
    List<TxnOutcome.OpResult> results = new ArrayList<>();
    for (Txn.Op op : ops) {
      KvEntry current = work.get(op.key());
      if (op instanceof Txn.Put p) {
        KvEntry next = written(current, p.key(), p.value(), revision);
        work.put(p.key(), next);
        results.add(new TxnOutcome.PutResult(p.key(), revision, next.version()));
      } else if (op instanceof Txn.Delete) {
        work.remove(op.key());
        results.add(new TxnOutcome.DeleteResult(op.key(), current != null));
      } else {
        results.add(new TxnOutcome.GetResult(op.key(), current));
      }
    }
    KvOp.Result result = KvOp.Result.txn(new TxnOutcome(succeeded, revision, results));
    return new Outcome(result, work.equals(before.entries) ? before : new State(work));
  }

  /**
   * Whether an observed result is what the model computed, where revisions and versions the model
   * or the client left at 0 match anything, and details the client did not report are not compared.
   * A range's and a txn's own revision are not compared here (the search checks their order).
   */
  public static boolean matches(KvOp.Result expected, KvOp.Result observed) {
    if (expected.ok() != observed.ok() || !Objects.equals(expected.value(), observed.value())) return false;
    if (observed.entry() != null && !entryMatches(expected.entry(), observed.entry())) return false;
    if (observed.range() != null) {
      RangeResult e = expected.range();
      RangeResult o = observed.range();
      if (e == null || e.count() != o.count() || e.more() != o.more() || !entriesMatch(e.entries(), o.entries())) {
        return false;
      }
    }
    if (observed.txn() != null) {
      TxnOutcome e = expected.txn();
      if (e == null || e.succeeded() != observed.txn().succeeded()) return false;
      return opResultsMatch(e.results(), observed.txn().results());
    }
    return true;
  }

  private static boolean entriesMatch(List<KvEntry> expected, List<KvEntry> observed) {
    if (expected.size() != observed.size()) return false;
    for (int i = 0; i < expected.size(); i++) {
      if (!entryMatches(expected.get(i), observed.get(i))) return false;
    }
    return true;
  }

  private static boolean opResultsMatch(List<TxnOutcome.OpResult> expected, List<TxnOutcome.OpResult> observed) {
    if (expected.size() != observed.size()) return false;
    for (int i = 0; i < expected.size(); i++) {
      TxnOutcome.OpResult e = expected.get(i);
      TxnOutcome.OpResult o = observed.get(i);
      if (!e.key().equals(o.key()) || e.getClass() != o.getClass()) return false;
      boolean same;
      if (e instanceof TxnOutcome.PutResult p) {
        TxnOutcome.PutResult op = (TxnOutcome.PutResult) o;
        same = sameNumber(p.version(), op.version()) && sameNumber(p.revision(), op.revision());
      } else if (e instanceof TxnOutcome.DeleteResult d) {
        same = d.deleted() == ((TxnOutcome.DeleteResult) o).deleted();
      } else {
        KvEntry oe = ((TxnOutcome.GetResult) o).entry();
        KvEntry ee = ((TxnOutcome.GetResult) e).entry();
        same = oe == null ? ee == null : entryMatches(ee, oe);
      }
      if (!same) return false;
    }
    return true;
  }

  private static boolean entryMatches(KvEntry expected, KvEntry observed) {
    return expected != null && expected.key().equals(observed.key()) && expected.value().equals(observed.value())
        && sameNumber(expected.createRevision(), observed.createRevision())
        && sameNumber(expected.modRevision(), observed.modRevision())
        && sameNumber(expected.version(), observed.version());
  }

  private static boolean sameNumber(long a, long b) {
    return a == KvOp.NOT_REPORTED || b == KvOp.NOT_REPORTED || a == b;
  }
}
