package io.raftkv.sim;

import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.RangeResult;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One client operation: on one key (put, optionally with a TTL, get, delete, compare-and-set by value),
 * a range read ({@link RangeQuery}: prefix or start/end, after, limit, countOnly), a transaction
 * ({@link Txn}), or a leader's expiry of keys whose TTL ran out ({@link KvCommand.Expire}).
 * Its sequential specification is {@link KvSpec}, which both the {@link LinearizabilityChecker} and
 * nothing else use: the simulator runs the real {@code KvStateMachine}, so the checker judges the
 * replicated store against a separate model. Public so the real-cluster tests can check their
 * histories with the same checker.
 *
 * @param key      the key of a single-key op; a range's start; empty for a txn
 * @param value    PUT: the new value; CAS: the value to install on a match
 * @param expected CAS only: the value the key must currently hold (null: must be absent)
 * @param range    RANGE only
 * @param txn      TXN only
 * @param ttlSeconds PUT only: the TTL the put grants (0: none, which clears the key's TTL)
 * @param expires  EXPIRE only: the keys with the mod revision whose TTL ran out
 */
public record KvOp(Kind kind, String key, String value, String expected, RangeQuery range, Txn txn,
                   long ttlSeconds, List<KvCommand.Due> expires) {

  public enum Kind { PUT, GET, DELETE, CAS, RANGE, TXN, EXPIRE }

  /** Revisions and versions of 0 in a result mean "not reported": the checker accepts any there. */
  public static final long NOT_REPORTED = 0;

  /**
   * What an operation returned. {@code ok}: put done / key existed (delete) / swapped (cas) / the
   * txn's compares held. {@code value}: a get's value (null = absent). {@code revision}: a write's
   * revision (its log index), a range's or txn's revision, 0 when not reported. {@code entry}: a
   * get's entry or a put's new entry, when reported. {@code range}, {@code txn}: their answers.
   */
  public record Result(boolean ok, String value, long revision, KvEntry entry, RangeResult range, TxnOutcome txn) {
    public static final Result OK = new Result(true, null, NOT_REPORTED, null, null, null);
    public static final Result NOT_OK = new Result(false, null, NOT_REPORTED, null, null, null);

    /** A get that reported only the value (null = absent). */
    public static Result read(String value) {
      return new Result(true, value, NOT_REPORTED, null, null, null);
    }

    /** A get that reported the entry (null = absent) with its revisions and version. */
    public static Result readEntry(KvEntry entry) {
      return new Result(true, entry == null ? null : entry.value(), NOT_REPORTED, entry, null, null);
    }

    /** A write at {@code revision}; {@code entry} the key's new state for a put, else null. */
    public static Result written(boolean ok, long revision, KvEntry entry) {
      return new Result(ok, null, revision, entry, null, null);
    }

    public static Result range(RangeResult range) {
      return new Result(true, null, range.revision(), null, range, null);
    }

    public static Result txn(TxnOutcome outcome) {
      return new Result(outcome.succeeded(), null, outcome.revision(), null, null, outcome);
    }

    @Override
    public String toString() {
      if (range != null) {
        return "@" + range.revision() + (range.entries().isEmpty() && range.count() > 0
            ? " count=" + range.count() : " " + entries(range.entries())) + (range.more() ? " more" : "");
      }
      if (txn != null) return (txn.succeeded() ? "then" : "else") + "@" + txn.revision() + " " + txn.results();
      String rev = revision == NOT_REPORTED ? "" : "@" + revision;
      if (entry != null) return "\"" + entry.value() + "\"" + rev + " (c" + entry.createRevision() + " m"
          + entry.modRevision() + " v" + entry.version() + ")";
      return (value == null ? String.valueOf(ok) : "\"" + value + "\"") + rev;
    }

    private static String entries(List<KvEntry> entries) {
      List<String> out = new ArrayList<>();
      for (KvEntry e : entries) out.add(e.key() + "=" + e.value() + "/m" + e.modRevision() + "v" + e.version());
      return out.toString();
    }
  }

  public KvOp {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if ((kind == Kind.RANGE) != (range != null)) throw new IllegalArgumentException("range is for RANGE only");
    if ((kind == Kind.TXN) != (txn != null)) throw new IllegalArgumentException("txn is for TXN only");
    if ((kind == Kind.EXPIRE) != (expires != null)) throw new IllegalArgumentException("expires are for EXPIRE only");
    if (ttlSeconds < 0 || (ttlSeconds > 0 && kind != Kind.PUT)) throw new IllegalArgumentException("a ttl is for PUT only");
    if (expires != null) expires = List.copyOf(expires);
  }

  public KvOp(Kind kind, String key, String value, String expected, RangeQuery range, Txn txn) {
    this(kind, key, value, expected, range, txn, 0, null);
  }

  public KvOp(Kind kind, String key, String value, String expected) {
    this(kind, key, value, expected, null, null);
  }

  public static KvOp put(String key, String value) {
    return new KvOp(Kind.PUT, key, value, null);
  }

  /** A put that gives the key a TTL ({@code ttlSeconds > 0}). */
  public static KvOp putWithTtl(String key, String value, long ttlSeconds) {
    return new KvOp(Kind.PUT, key, value, null, null, null, ttlSeconds, null);
  }

  /** The leader's expiry of {@code keys} (each with the mod revision whose TTL ran out). */
  public static KvOp expire(List<KvCommand.Due> keys) {
    return new KvOp(Kind.EXPIRE, "", null, null, null, null, 0, keys);
  }

  public static KvOp get(String key) {
    return new KvOp(Kind.GET, key, null, null);
  }

  public static KvOp delete(String key) {
    return new KvOp(Kind.DELETE, key, null, null);
  }

  public static KvOp cas(String key, String expected, String value) {
    return new KvOp(Kind.CAS, key, value, expected);
  }

  public static KvOp range(RangeQuery query) {
    return new KvOp(Kind.RANGE, query.start(), null, null, query, null);
  }

  public static KvOp txn(Txn txn) {
    return new KvOp(Kind.TXN, "", null, null, null, txn);
  }

  /** Whether the op may change the store (a txn always may: it is a log entry with writes in a branch). */
  public boolean isWrite() {
    return kind != Kind.GET && kind != Kind.RANGE;
  }

  /** The keys the op names: its key, or every key of a txn's compares and ops; none for a range. */
  public Set<String> namedKeys() {
    Set<String> keys = new TreeSet<>();
    switch (kind) {
      case RANGE -> { }
      case EXPIRE -> expires.forEach(d -> keys.add(d.key()));
      case TXN -> {
        txn.compares().forEach(c -> keys.add(c.key()));
        txn.success().forEach(o -> keys.add(o.key()));
        txn.failure().forEach(o -> keys.add(o.key()));
      }
      default -> keys.add(key);
    }
    return keys;
  }

  /** The keys among {@code universe} whose state the op may read or change. */
  public Set<String> footprint(Collection<String> universe) {
    if (kind != Kind.RANGE) return namedKeys();
    Set<String> keys = new TreeSet<>();
    for (String k : universe) if (inRange(range, k)) keys.add(k);
    return keys;
  }

  /** Whether a range query covers {@code k} (its start/end, and only keys after {@code after}). */
  static boolean inRange(RangeQuery q, String k) {
    return k.compareTo(q.start()) >= 0 && (q.end() == null || k.compareTo(q.end()) < 0)
        && (q.after() == null || k.compareTo(q.after()) > 0);
  }

  /** Values a put, cas or txn put of this op would write (unique per write in the tests' workloads). */
  public List<String> writtenValues() {
    List<String> values = new ArrayList<>();
    if (kind == Kind.PUT || kind == Kind.CAS) values.add(value);
    if (kind == Kind.TXN) {
      for (Txn.Op o : txn.success()) if (o instanceof Txn.Put p) values.add(p.value());
      for (Txn.Op o : txn.failure()) if (o instanceof Txn.Put p) values.add(p.value());
    }
    return values;
  }

  /** Whether the op may delete a key. */
  public boolean mayDelete() {
    if (kind == Kind.DELETE || kind == Kind.EXPIRE) return true;
    if (kind != Kind.TXN) return false;
    return txn.success().stream().anyMatch(o -> o instanceof Txn.Delete)
        || txn.failure().stream().anyMatch(o -> o instanceof Txn.Delete);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case PUT -> "put(" + key + "," + value + (ttlSeconds > 0 ? " ttl=" + ttlSeconds : "") + ")";
      case EXPIRE -> "expire(" + expires.stream().map(d -> d.key() + "@m" + d.modRevision()).toList() + ")";
      case GET -> "get(" + key + ")";
      case DELETE -> "delete(" + key + ")";
      case CAS -> "cas(" + key + "," + expected + "->" + value + ")";
      case RANGE -> "range([" + range.start() + "," + (range.end() == null ? "" : range.end()) + ")"
          + (range.after() == null ? "" : " after " + range.after()) + " limit " + range.limit()
          + (range.countOnly() ? " count" : "") + ")";
      case TXN -> "txn(if " + txn.compares().stream().map(KvOp::describe).toList() + " then "
          + describeOps(txn.success()) + " else " + describeOps(txn.failure()) + ")";
    };
  }

  private static String describe(Txn.Compare c) {
    return c.key() + " " + c.target().name().toLowerCase() + "=" + (c.value() != null ? c.value() : c.number());
  }

  private static String describeOps(List<Txn.Op> ops) {
    List<String> out = new ArrayList<>();
    for (Txn.Op o : ops) {
      out.add(o instanceof Txn.Put p ? "put " + p.key() + "=" + p.value()
          : o instanceof Txn.Delete ? "del " + o.key() : "get " + o.key());
    }
    return out.toString();
  }
}
