package io.raftkv.sim;

import io.raftkv.kv.KvEntry;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * How a {@link SimClient} draws range reads and transactions over the scenario's few keys: ranges by
 * prefix (all keys), by start/end, after a key, with small limits (so {@code more} is exercised) and
 * as counts; txns whose compares use what the client last saw (values, mod revisions, versions) or
 * existence, so they succeed and fail about equally often under contention, with branches of puts
 * (unique values), deletes and gets.
 */
public final class MultiKeyOps {

  private final RandomGenerator random;
  private final List<String> keys;
  private final String prefix;
  private final Map<String, String> lastSeen;
  /** Whether a range "from a key on" ends at the prefix's end instead of being open-ended. */
  private final boolean boundedByPrefix;
  /** What this client last saw of each key (from reads and its own writes). */
  private final Map<String, KvEntry> lastEntry = new HashMap<>();

  /**
   * @param keys     the keys to use, in key order, all starting with {@code prefix}
   * @param lastSeen values seen of each key (shared with the single-key ops, or the client's own)
   */
  public MultiKeyOps(RandomGenerator random, List<String> keys, String prefix, Map<String, String> lastSeen) {
    this(random, keys, prefix, lastSeen, false);
  }

  private MultiKeyOps(RandomGenerator random, List<String> keys, String prefix, Map<String, String> lastSeen,
      boolean boundedByPrefix) {
    this.random = random;
    this.keys = List.copyOf(keys);
    this.prefix = prefix;
    this.lastSeen = lastSeen;
    this.boundedByPrefix = boundedByPrefix;
  }

  /**
   * For a store that holds other keys too (a cluster test's earlier and later steps): a range "from a
   * key on" ends at the prefix's end, so every range covers this prefix's keys only. Open-ended, it
   * would cover the other steps' keys as well, and the linearizability check, which splits a history
   * into groups of keys no operation spans, would get one group of every key in the run.
   */
  public static MultiKeyOps withinPrefix(RandomGenerator random, List<String> keys, String prefix,
      Map<String, String> lastSeen) {
    return new MultiKeyOps(random, keys, prefix, lastSeen, true);
  }

  /** A range: all keys by prefix, a start/end, or after a key; sometimes limited, sometimes a count. */
  public KvOp range() {
    RangeQuery q = switch (random.nextInt(3)) {
      case 0 -> RangeQuery.prefix(prefix);
      case 1 -> {
        int from = random.nextInt(keys.size());
        int to = random.nextInt(from + 1, keys.size() + 1);
        String openEnd = boundedByPrefix ? RangeQuery.prefixEnd(prefix) : null;
        yield RangeQuery.between(keys.get(from), to == keys.size() ? openEnd : keys.get(to));
      }
      default -> RangeQuery.prefix(prefix).withAfter(keys.get(random.nextInt(keys.size())));
    };
    if (random.nextInt(5) == 0) {
      q = q.counting(); // the API refuses a limit with countOnly
    } else if (random.nextInt(3) == 0) {
      q = q.withLimit(random.nextInt(1, keys.size() + 1));
    }
    return KvOp.range(q);
  }

  /** A txn of 0-2 compares, 1-3 success ops and 0-2 failure ops; put values start with {@code valuePrefix}. */
  public KvOp txn(String valuePrefix) {
    List<Txn.Compare> compares = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) compares.add(compare(key()));
    return KvOp.txn(new Txn(compares, branch(valuePrefix + "s", 1 + random.nextInt(3)),
        branch(valuePrefix + "f", random.nextInt(3))));
  }

  private Txn.Compare compare(String key) {
    KvEntry seen = lastEntry.get(key);
    return switch (random.nextInt(4)) {
      case 0 -> seen != null ? Txn.Compare.value(key, seen.value())
          : Txn.Compare.value(key, lastSeen.getOrDefault(key, "none"));
      case 1 -> Txn.Compare.number(key, Txn.Target.MOD_REVISION, seen == null ? 0 : seen.modRevision());
      case 2 -> Txn.Compare.number(key, Txn.Target.VERSION, seen == null ? 0 : seen.version());
      default -> Txn.Compare.exists(key, random.nextBoolean());
    };
  }

  /** Up to {@code size} ops; each key written at most once (a branch may not write a key twice). */
  private List<Txn.Op> branch(String valuePrefix, int size) {
    List<Txn.Op> ops = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      String key = key();
      int kind = random.nextInt(5);
      if (kind < 3 && written.contains(key)) kind = 4;
      switch (kind) {
        case 0, 1 -> ops.add(new Txn.Put(key, valuePrefix + i));
        case 2 -> ops.add(new Txn.Delete(key));
        default -> ops.add(new Txn.Get(key));
      }
      if (kind < 3) written.add(key);
    }
    return ops;
  }

  private String key() {
    return keys.get(random.nextInt(keys.size()));
  }

  /** Remembers what a completed op showed, for later compares (a put's value and a get's entry). */
  public void onResult(KvOp op, KvOp.Result result) {
    if (result.entry() != null) {
      lastEntry.put(result.entry().key(), op.kind() == KvOp.Kind.PUT || op.kind() == KvOp.Kind.CAS
          ? new KvEntry(op.key(), op.value(), result.entry().createRevision(), result.entry().modRevision(),
              result.entry().version())
          : result.entry());
    }
    if (result.range() != null) result.range().entries().forEach(e -> lastEntry.put(e.key(), e));
    if (result.txn() != null) {
      for (TxnOutcome.OpResult r : result.txn().results()) {
        if (r instanceof TxnOutcome.GetResult g && g.entry() != null) lastEntry.put(g.key(), g.entry());
        if (r instanceof TxnOutcome.GetResult g && g.entry() == null) lastEntry.remove(g.key());
      }
    }
  }
}
