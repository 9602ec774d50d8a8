package io.raftkv.sim;

import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Checks a key-value history for linearizability against {@link KvSpec} with the Wing–Gong search as
 * refined by Lowe (memoising configurations of "linearized set + state"), the way Porcupine does it.
 *
 * <p><b>Partitioning.</b> Linearizability is compositional, so the history is split into independent
 * key groups and each group is checked on its own: two keys are in one group when some operation
 * touches both (a txn naming both, a range covering both: a range covers every key of the history
 * inside its bounds). Single-key histories split per key as before; a range over the whole key space
 * makes the whole history one group, so workloads that use ranges keep their key space small (the
 * simulator uses at most 4 keys; docs/testing.md "Multi-key operations"). The order of revisions is
 * checked within a group only.
 *
 * <p><b>Revisions.</b> Besides values, the search checks that revisions agree with the linearization
 * order: each write's reported revision (its log index) is above every revision linearized before it,
 * and a range's revision (the state it read) is at least that. This is what catches a txn whose
 * compare and writes were not atomic even when no read saw the difference.
 *
 * <p>Operations with {@link Operation.Status#UNKNOWN} outcome are treated as responding at infinity
 * with any result: they may take effect at any point after their invocation, or never (taking effect
 * after every known operation is indistinguishable from never). {@link Operation.Status#FAILED}
 * operations had no effect and are left out; so are reads without an answer. The search per group is
 * bounded by a step budget; running out is reported as {@link Verdict#exhausted()}, never as success.
 */
public final class LinearizabilityChecker {

  /** Outcome of a check; {@code explanation} names the keys and lists their operations when not linearizable. */
  public record Verdict(boolean linearizable, boolean exhausted, String explanation) {
    static final Verdict OK = new Verdict(true, false, "linearizable");
  }

  /**
   * Memory the memo of visited configurations may take per group. The memo only saves work: past the
   * cap the search goes on without remembering more (still exact, bounded by the step budget). An
   * unbounded memo of linearized-set copies ran a 512 MB test JVM out of heap on a long crash/restart
   * history; entries are now fixed-size fingerprints plus a shared reference to the state.
   */
  static final long DEFAULT_MAX_MEMO_BYTES = 256L << 20;
  /** One memo entry: HashSet node, the Config record and its fields. */
  private static final long MEMO_ENTRY_BYTES = 96;

  private final long maxStepsPerKey;
  private final long maxMemoBytes;

  /** @param maxStepsPerKey the search budget of each independent key group */
  public LinearizabilityChecker(long maxStepsPerKey) {
    this(maxStepsPerKey, DEFAULT_MAX_MEMO_BYTES);
  }

  LinearizabilityChecker(long maxStepsPerKey, long maxMemoBytes) {
    this.maxStepsPerKey = maxStepsPerKey;
    this.maxMemoBytes = maxMemoBytes;
  }

  public LinearizabilityChecker() {
    this(5_000_000);
  }

  public Verdict check(List<Operation> history) {
    List<Operation> relevant = history.stream().filter(LinearizabilityChecker::relevant).toList();
    for (KeyGroups.Group group : KeyGroups.partition(relevant)) {
      Verdict v = checkTryingUnknownsAsNeverFirst(group.name(), group.operations());
      if (!v.linearizable()) return v;
    }
    return Verdict.OK;
  }

  /**
   * "Never took effect" is always a permitted outcome of an unknown write. So first check the history
   * with that outcome chosen for every unknown write nobody observed (one whose written values no read
   * returned and no successful compare expected, and every unknown delete): if that history is
   * linearizable, so is the full one. Only if not does the full search weigh every placement of every
   * unknown write, which on a long crash/restart history (4,000 operations and 26 unknown writes on one
   * key) exhausted 200 million steps.
   */
  private Verdict checkTryingUnknownsAsNeverFirst(String keys, List<Operation> ops) {
    Set<String> observed = observedValues(ops);
    Predicate<Operation> seen = o -> o.op().writtenValues().stream().anyMatch(observed::contains);
    // Each attempt keeps every known operation and the unknown writes the predicate admits.
    List<Predicate<Operation>> attempts = List.of(
        o -> !o.op().mayDelete() && seen.test(o),
        o -> o.op().mayDelete() || seen.test(o),
        o -> !o.op().mayDelete());
    for (Predicate<Operation> keepUnknown : attempts) {
      List<Operation> pruned = ops.stream()
          .filter(o -> o.status() == Operation.Status.OK || keepUnknown.test(o))
          .collect(Collectors.toList());
      if (pruned.size() < ops.size() && checkGroup(keys, pruned, maxStepsPerKey / 8).linearizable()) {
        return Verdict.OK;
      }
    }
    return checkGroup(keys, ops, maxStepsPerKey);
  }

  /** Values that successful operations read or expected: the writes that produced them took effect. */
  private static Set<String> observedValues(List<Operation> ops) {
    Set<String> observed = new HashSet<>();
    for (Operation o : ops) {
      if (o.status() != Operation.Status.OK) continue;
      KvOp.Result r = o.result();
      if (o.op().kind() == KvOp.Kind.GET && r.value() != null) observed.add(r.value());
      if (o.op().kind() == KvOp.Kind.CAS && r.ok()) observed.add(o.op().expected());
      if (r.range() != null) r.range().entries().forEach(e -> observed.add(e.value()));
      if (r.txn() != null) {
        for (TxnOutcome.OpResult res : r.txn().results()) {
          if (res instanceof TxnOutcome.GetResult g && g.entry() != null) observed.add(g.entry().value());
        }
        if (r.ok()) {
          for (Txn.Compare c : o.op().txn().compares()) if (c.value() != null) observed.add(c.value());
        }
      }
    }
    return observed;
  }

  private static boolean relevant(Operation o) {
    return switch (o.status()) {
      case OK -> true;
      case UNKNOWN, PENDING -> o.op().isWrite();
      case FAILED -> false;
    };
  }

  /**
   * A configuration: which operations are linearized, as a 128-bit Zobrist fingerprint (the XOR of a
   * random pair of longs per operation, updated in O(1) as operations are chosen and undone), and the
   * model's state. The revision floor is not part of it: it is the highest revision among the
   * linearized operations, so the set determines it. A fingerprint collision (odds ~2^-128 per pair)
   * could only make the search skip a configuration, that is report a violation it did not prove,
   * never accept a bad history.
   */
  private record Config(long fingerprintHigh, long fingerprintLow, KvSpec.State state) {}

  /** One level of the depth-first search: the candidates tried here, in order, and what to undo. */
  private static final class Frame {
    final int[] candidates;
    int next;
    final KvSpec.State stateBefore;
    final long floorBefore;
    /** The candidate being tried and its remaining outcomes (usually one). */
    int current = -1;
    List<KvSpec.Outcome> outcomes = List.of();
    int nextOutcome;
    int chosen = -1;

    Frame(int[] candidates, KvSpec.State stateBefore, long floorBefore) {
      this.candidates = candidates;
      this.stateBefore = stateBefore;
      this.floorBefore = floorBefore;
    }
  }

  private static long returnTime(Operation o) {
    return o.status() == Operation.Status.OK ? o.returnedAt() : Operation.NEVER;
  }

  private static long reportedRevision(Operation o) {
    return o.status() == Operation.Status.OK ? o.result().revision() : KvOp.NOT_REPORTED;
  }

  /**
   * Whether {@code o}, linearized when the highest revision so far is {@code floor}, keeps revisions
   * in order: a write (a log entry) above the floor, a range's read state at or above it.
   */
  private static boolean inRevisionOrder(Operation o, long floor) {
    long revision = reportedRevision(o);
    if (revision == KvOp.NOT_REPORTED) return true;
    return o.op().isWrite() ? revision > floor : revision >= floor;
  }

  /**
   * Depth-first search over linearization orders. At each level the candidates are the operations not
   * yet linearized that were invoked before the earliest pending response (anything later would come
   * after an operation that had already returned). Candidates are tried earliest-deadline first, which
   * finds a witness without backtracking for most correct histories; the memo of (linearized set, state)
   * configurations (Lowe) keeps refutations of incorrect ones from revisiting work.
   */
  private Verdict checkGroup(String keys, List<Operation> ops, long maxSteps) {
    Live live = new Live(ops);
    int knownLeft = (int) ops.stream().filter(o -> o.status() == Operation.Status.OK).count();
    Set<Config> seen = new HashSet<>();
    long memoBytes = 0;
    SplittableRandom random = new SplittableRandom(keys.hashCode()); // deterministic per group
    long[] zobristHigh = random.longs(ops.size()).toArray();
    long[] zobristLow = random.longs(ops.size()).toArray();
    long high = 0;
    long low = 0;
    Deque<Frame> stack = new ArrayDeque<>();
    KvSpec.State state = KvSpec.State.EMPTY;
    long floor = 0;
    long steps = 0;
    stack.push(new Frame(live.candidates(), state, floor));
    while (knownLeft > 0) {
      Frame f = stack.peek();
      if (f.nextOutcome == f.outcomes.size()) {
        if (f.next == f.candidates.length) {
          stack.pop();
          if (stack.isEmpty()) return new Verdict(false, false, "not linearizable on keys " + keys + describe(ops));
          Frame parent = stack.peek();
          int undo = parent.chosen;
          live.restore(undo);
          high ^= zobristHigh[undo];
          low ^= zobristLow[undo];
          if (ops.get(undo).status() == Operation.Status.OK) knownLeft++;
          state = parent.stateBefore;
          floor = parent.floorBefore;
          continue;
        }
        f.current = f.candidates[f.next++];
        Operation o = ops.get(f.current);
        f.outcomes = inRevisionOrder(o, floor) ? KvSpec.apply(state, o.op(), reportedRevision(o)) : List.of();
        f.nextOutcome = 0;
        continue;
      }
      if (++steps > maxSteps) {
        return new Verdict(false, true, "search budget exhausted on keys " + keys + describe(ops));
      }
      int c = f.current;
      Operation o = ops.get(c);
      KvSpec.Outcome out = f.outcomes.get(f.nextOutcome++);
      boolean matches = o.status() != Operation.Status.OK || KvSpec.matches(out.result(), o.result());
      if (!matches) continue;
      Config config = new Config(high ^ zobristHigh[c], low ^ zobristLow[c], out.next());
      if (seen.contains(config)) continue;
      if (memoBytes < maxMemoBytes) {
        seen.add(config);
        memoBytes += MEMO_ENTRY_BYTES;
      }
      f.chosen = c;
      high = config.fingerprintHigh();
      low = config.fingerprintLow();
      state = out.next();
      floor = Math.max(floor, reportedRevision(o));
      if (o.status() == Operation.Status.OK) knownLeft--;
      live.remove(c);
      stack.push(new Frame(live.candidates(), state, floor));
    }
    return Verdict.OK;
  }

  /**
   * The operations not yet linearized, as two dancing-links lists: by invocation (to enumerate
   * candidates) and by response (to find the earliest pending response). Removal and restoration are
   * O(1) and happen in LIFO order.
   */
  private static final class Live {
    private final List<Operation> ops;
    private final int[] byCall;
    private final int[] byRet;
    private final int[] posCall;
    private final int[] posRet;
    private final int[] prevC;
    private final int[] nextC;
    private final int[] prevR;
    private final int[] nextR;
    private final int headC;
    private final int headR;

    Live(List<Operation> ops) {
      this.ops = ops;
      int n = ops.size();
      Integer[] idx = new Integer[n];
      for (int i = 0; i < n; i++) idx[i] = i;
      Integer[] c = idx.clone();
      Arrays.sort(c, Comparator.comparingLong((Integer i) -> ops.get(i).invokedAt()).thenComparingInt(i -> i));
      Integer[] r = idx.clone();
      Arrays.sort(r, Comparator.comparingLong((Integer i) -> returnTime(ops.get(i))).thenComparingInt(i -> i));
      byCall = new int[n];
      byRet = new int[n];
      posCall = new int[n];
      posRet = new int[n];
      for (int k = 0; k < n; k++) {
        byCall[k] = c[k];
        byRet[k] = r[k];
        posCall[c[k]] = k;
        posRet[r[k]] = k;
      }
      // Slots 0..n-1 hold positions; slot n is the sentinel head of each circular list.
      prevC = new int[n + 1];
      nextC = new int[n + 1];
      prevR = new int[n + 1];
      nextR = new int[n + 1];
      headC = n;
      headR = n;
      for (int k = 0; k <= n; k++) {
        nextC[k] = k == n ? 0 : k + 1;
        prevC[k] = k == 0 ? n : k - 1;
        nextR[k] = nextC[k];
        prevR[k] = prevC[k];
      }
      if (n == 0) {
        nextC[n] = n;
        nextR[n] = n;
      }
      prevC[n] = n == 0 ? n : n - 1;
      prevR[n] = prevC[n];
    }

    /** Live operations invoked before the earliest pending response, earliest response first. */
    int[] candidates() {
      int firstRet = nextR[headR];
      if (firstRet == headR) return new int[0];
      long deadline = returnTime(ops.get(byRet[firstRet]));
      List<Integer> out = new ArrayList<>();
      for (int k = nextC[headC]; k != headC; k = nextC[k]) {
        Operation o = ops.get(byCall[k]);
        if (o.invokedAt() >= deadline) break;
        out.add(byCall[k]);
      }
      out.sort(Comparator.comparingLong((Integer i) -> returnTime(ops.get(i))).thenComparingInt(i -> i));
      return out.stream().mapToInt(Integer::intValue).toArray();
    }

    void remove(int op) {
      int k = posCall[op];
      nextC[prevC[k]] = nextC[k];
      prevC[nextC[k]] = prevC[k];
      k = posRet[op];
      nextR[prevR[k]] = nextR[k];
      prevR[nextR[k]] = prevR[k];
    }

    void restore(int op) {
      int k = posRet[op];
      nextR[prevR[k]] = k;
      prevR[nextR[k]] = k;
      k = posCall[op];
      nextC[prevC[k]] = k;
      prevC[nextC[k]] = k;
    }
  }

  private static String describe(List<Operation> ops) {
    return ops.stream()
        .sorted(Comparator.comparingLong(Operation::invokedAt))
        .limit(200)
        .map(Objects::toString)
        .collect(Collectors.joining("\n  ", ":\n  ", ops.size() > 200 ? "\n  ..." : ""));
  }
}
