package io.raftkv.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a key-value history for linearizability with the Wing–Gong search as refined by Lowe
 * (memoising configurations of "linearized set + register value"), the way Porcupine does it.
 *
 * <p>Every operation touches one key, so the history is partitioned per key and each key is checked as
 * an independent register (linearizability is compositional). Operations with {@link
 * Operation.Status#UNKNOWN} outcome are treated as responding at infinity with any result: they may take
 * effect at any point after their invocation, or never (taking effect after every known operation is
 * indistinguishable from never). {@link Operation.Status#FAILED} operations had no effect and are left
 * out; so are reads without an answer.
 */
final class LinearizabilityChecker {

  /** Outcome of a check; {@code explanation} names the key and lists its operations when not linearizable. */
  record Verdict(boolean linearizable, boolean exhausted, String explanation) {
    static final Verdict OK = new Verdict(true, false, "linearizable");
  }

  private final long maxStepsPerKey;

  LinearizabilityChecker(long maxStepsPerKey) {
    this.maxStepsPerKey = maxStepsPerKey;
  }

  LinearizabilityChecker() {
    this(5_000_000);
  }

  Verdict check(List<Operation> history) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation o : history) {
      if (relevant(o)) byKey.computeIfAbsent(o.op().key(), k -> new ArrayList<>()).add(o);
    }
    for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
      Verdict v = checkRegister(e.getKey(), e.getValue());
      if (!v.linearizable()) return v;
    }
    return Verdict.OK;
  }

  private static boolean relevant(Operation o) {
    return switch (o.status()) {
      case OK -> true;
      case UNKNOWN, PENDING -> o.op().isWrite();
      case FAILED -> false;
    };
  }

  /** A node of the doubly linked event list: a call, or the matching return. */
  private static final class Event {
    final Operation op;
    final int index;
    final boolean call;
    Event match;
    Event prev;
    Event next;

    Event(Operation op, int index, boolean call) {
      this.op = op;
      this.index = index;
      this.call = call;
    }

    long time() {
      return call ? op.invokedAt() : returnTime(op);
    }
  }

  private record Config(BitSet linearized, String value) {}

  private record Frame(Event call, String valueBefore) {}

  private static long returnTime(Operation o) {
    return o.status() == Operation.Status.OK ? o.returnedAt() : Operation.NEVER;
  }

  private Verdict checkRegister(String key, List<Operation> ops) {
    Event head = buildEventList(ops);
    int knownReturns = (int) ops.stream().filter(o -> o.status() == Operation.Status.OK).count();
    Set<Config> seen = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    BitSet linearized = new BitSet(ops.size());
    String value = null;
    Event entry = head.next;
    long steps = 0;
    while (knownReturns > 0) {
      if (++steps > maxStepsPerKey) {
        return new Verdict(false, true, "search budget exhausted on key " + key + describe(ops));
      }
      if (entry.call) {
        KvOp.Outcome out = entry.op.op().applyTo(value);
        boolean matches = entry.op.status() != Operation.Status.OK || out.result().equals(entry.op.result());
        if (matches) {
          BitSet next = (BitSet) linearized.clone();
          next.set(entry.index);
          if (seen.add(new Config(next, out.next()))) {
            stack.push(new Frame(entry, value));
            value = out.next();
            linearized = next;
            if (entry.op.status() == Operation.Status.OK) knownReturns--;
            lift(entry);
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        // A return whose call is not yet linearized: this branch is dead, undo the last choice.
        if (stack.isEmpty()) {
          return new Verdict(false, false, "not linearizable on key " + key + describe(ops));
        }
        Frame f = stack.pop();
        value = f.valueBefore();
        linearized = (BitSet) linearized.clone();
        linearized.clear(f.call().index);
        if (f.call().op.status() == Operation.Status.OK) knownReturns++;
        unlift(f.call());
        entry = f.call().next;
      }
    }
    return Verdict.OK;
  }

  private static Event buildEventList(List<Operation> ops) {
    List<Event> events = new ArrayList<>(ops.size() * 2);
    for (int i = 0; i < ops.size(); i++) {
      Event call = new Event(ops.get(i), i, true);
      Event ret = new Event(ops.get(i), i, false);
      call.match = ret;
      events.add(call);
      events.add(ret);
    }
    // Calls before returns on equal times (only possible at infinity): keeps unknown ops concurrent.
    events.sort(Comparator.comparingLong(Event::time)
        .thenComparing(e -> !e.call)
        .thenComparingLong(e -> e.op.id()));
    Event head = new Event(null, -1, false);
    Event prev = head;
    for (Event e : events) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
    return head;
  }

  private static void lift(Event call) {
    remove(call);
    remove(call.match);
  }

  private static void remove(Event e) {
    e.prev.next = e.next;
    if (e.next != null) e.next.prev = e.prev;
  }

  /** Reinserts in reverse order of removal, so each node's prev/next are still its old neighbours. */
  private static void unlift(Event call) {
    reinsert(call.match);
    reinsert(call);
  }

  private static void reinsert(Event e) {
    e.prev.next = e;
    if (e.next != null) e.next.prev = e;
  }

  private static String describe(List<Operation> ops) {
    return ops.stream()
        .sorted(Comparator.comparingLong(Operation::invokedAt))
        .limit(200)
        .map(Objects::toString)
        .collect(Collectors.joining("\n  ", ":\n  ", ops.size() > 200 ? "\n  ..." : ""));
  }
}
