package io.raftkv.cluster;

import io.raftkv.kv.KvEntry;
import io.raftkv.sim.History;
import io.raftkv.sim.KvOp;
import io.raftkv.sim.LinearizabilityChecker;
import io.raftkv.sim.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a recorded cluster history with the simulator's linearizability checker
 * ({@link LinearizabilityChecker}), so real clusters and simulated ones are judged by the same code.
 *
 * <p>The recorded operations are replayed into a sim {@link History} in stamp order, which keeps
 * every real-time precedence. Mapping: put OK → ok at its revision; get 200 → read(value, with the
 * key's revision), 404 → read(absent); delete 200 → ok at its revision, 404 → not-ok (the key was
 * absent); range and txn 200 → their JSON answers ({@link ModelJson}); FAILED → failed (no effect);
 * UNKNOWN → unknown (may take effect at any later time, or never). Revisions a response did not carry
 * are 0, which the checker treats as "not reported".
 */
final class SimLinearizability {

  /** The sim checker's verdict. */
  record Verdict(boolean linearizable, boolean exhausted, String explanation) {}

  private record Event(long at, boolean call, int index) {}

  private final long maxStepsPerKey;

  SimLinearizability() {
    this(5_000_000);
  }

  /** With another search budget per key than the checker's default (long crash/restart histories need more). */
  SimLinearizability(long maxStepsPerKey) {
    this.maxStepsPerKey = maxStepsPerKey;
  }

  Verdict check(List<HistoryRecorder.Op> ops) {
    History history = new History();
    Operation[] simOps = new Operation[ops.size()];
    for (Event event : eventsInOrder(ops)) {
      HistoryRecorder.Op op = ops.get(event.index());
      if (event.call()) {
        simOps[event.index()] = history.invoke(op.client(), kvOp(op));
      } else if (op.result().outcome() == KvResult.Outcome.FAILED) {
        history.fail(simOps[event.index()]);
      } else {
        history.complete(simOps[event.index()], result(op));
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).result().outcome() == KvResult.Outcome.UNKNOWN) {
        simOps[i].markUnknown();
      }
    }
    LinearizabilityChecker.Verdict verdict = new LinearizabilityChecker(maxStepsPerKey).check(history.operations());
    return new Verdict(verdict.linearizable(), verdict.exhausted(), verdict.explanation());
  }

  private static List<Event> eventsInOrder(List<HistoryRecorder.Op> ops) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      HistoryRecorder.Op op = ops.get(i);
      events.add(new Event(op.invokedAt(), true, i));
      if (op.result().outcome() != KvResult.Outcome.UNKNOWN) {
        events.add(new Event(op.completedAt(), false, i));
      }
    }
    events.sort(Comparator.comparingLong(Event::at));
    return events;
  }

  private static KvOp kvOp(HistoryRecorder.Op op) {
    return switch (op.kind()) {
      case PUT -> KvOp.put(op.key(), op.value());
      case GET -> KvOp.get(op.key());
      case DELETE -> KvOp.delete(op.key());
      case RANGE -> KvOp.range(ModelJson.parseRangeQuery(op.key()));
      case TXN -> KvOp.txn(ModelJson.parseTxnRequest(op.value()));
    };
  }

  private static KvOp.Result result(HistoryRecorder.Op op) {
    KvResult result = op.result();
    return switch (op.kind()) {
      case PUT -> KvOp.Result.written(true, result.revision(), null);
      case GET -> KvOp.Result.readEntry(result.isOk()
          ? new KvEntry(op.key(), result.value(), KvOp.NOT_REPORTED, result.revision(), KvOp.NOT_REPORTED) : null);
      case DELETE -> result.isOk() ? KvOp.Result.written(true, result.revision(), null) : KvOp.Result.NOT_OK;
      case RANGE -> KvOp.Result.range(ModelJson.parseRangeAnswer(result.detail()));
      case TXN -> KvOp.Result.txn(ModelJson.parseTxnAnswer(result.detail()));
    };
  }
}
