package io.raftkv.cluster;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a recorded cluster history with the simulator's linearizability checker
 * ({@code io.raftkv.sim.LinearizabilityChecker}), so real clusters and simulated ones are judged by
 * the same code. The sim's types are package-private, hence the reflection, kept in this one class;
 * once they are public (requested) the calls below become direct ones.
 *
 * <p>The recorded operations are replayed into a sim {@code History} in stamp order, which keeps
 * every real-time precedence. Mapping: put OK → ok; get 200/404 → read(value/absent); delete 200 →
 * ok, 404 → not-ok (the key was absent); FAILED → failed (no effect); UNKNOWN → unknown (may take
 * effect at any later time, or never).
 */
final class SimLinearizability {

  /** The sim checker's verdict. */
  record Verdict(boolean linearizable, boolean exhausted, String explanation) {}

  private record Event(long at, boolean call, int index) {}

  private final Sim sim = new Sim();
  private final long maxStepsPerKey;

  SimLinearizability() {
    this(5_000_000);
  }

  /** With another search budget per key than the checker's default (long crash/restart histories need more). */
  SimLinearizability(long maxStepsPerKey) {
    this.maxStepsPerKey = maxStepsPerKey;
  }

  Verdict check(List<HistoryRecorder.Op> ops) {
    Object history = sim.newHistory();
    Object[] simOps = new Object[ops.size()];
    for (Event event : eventsInOrder(ops)) {
      HistoryRecorder.Op op = ops.get(event.index());
      if (event.call()) {
        simOps[event.index()] = sim.invoke(history, op.client(), kvOp(op), event.at());
      } else if (op.result().outcome() == KvResult.Outcome.FAILED) {
        sim.fail(history, simOps[event.index()]);
      } else {
        sim.complete(history, simOps[event.index()], result(op));
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i).result().outcome() == KvResult.Outcome.UNKNOWN) {
        sim.markUnknown(simOps[i]);
      }
    }
    return sim.check(sim.operations(history), maxStepsPerKey);
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

  private Object kvOp(HistoryRecorder.Op op) {
    return switch (op.kind()) {
      case PUT -> sim.call(sim.kvPut, null, op.key(), op.value());
      case GET -> sim.call(sim.kvGet, null, op.key());
      case DELETE -> sim.call(sim.kvDelete, null, op.key());
    };
  }

  private Object result(HistoryRecorder.Op op) {
    KvResult result = op.result();
    return switch (op.kind()) {
      case PUT -> sim.resultOk;
      case GET -> sim.call(sim.resultRead, null, result.isOk() ? result.value() : null);
      case DELETE -> result.isOk() ? sim.resultOk : sim.resultNotOk;
    };
  }

  /** Handles on the sim's package-private API. */
  private static final class Sim {
    final Class<?> kvOpType = type("io.raftkv.sim.KvOp");
    final Class<?> resultType = type("io.raftkv.sim.KvOp$Result");
    final Class<?> operationType = type("io.raftkv.sim.Operation");
    final Class<?> historyType = type("io.raftkv.sim.History");
    final Class<?> checkerType = type("io.raftkv.sim.LinearizabilityChecker");
    final Method kvPut = method(kvOpType, "put", String.class, String.class);
    final Method kvGet = method(kvOpType, "get", String.class);
    final Method kvDelete = method(kvOpType, "delete", String.class);
    final Method resultRead = method(resultType, "read", String.class);
    final Object resultOk = staticField(resultType, "OK");
    final Object resultNotOk = staticField(resultType, "NOT_OK");

    Object newHistory() {
      return construct(historyType);
    }

    Object invoke(Object history, long client, Object kvOp, long at) {
      return call(method(historyType, "invoke", long.class, kvOpType, long.class), history, client, kvOp, at);
    }

    void complete(Object history, Object operation, Object result) {
      call(method(historyType, "complete", operationType, resultType), history, operation, result);
    }

    void fail(Object history, Object operation) {
      call(method(historyType, "fail", operationType), history, operation);
    }

    void markUnknown(Object operation) {
      call(method(operationType, "markUnknown"), operation);
    }

    Object operations(Object history) {
      return call(method(historyType, "operations"), history);
    }

    Verdict check(Object operations, long maxStepsPerKey) {
      Object checker;
      try {
        checker = accessible(checkerType.getDeclaredConstructor(long.class)).newInstance(maxStepsPerKey);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + checkerType.getName(), e);
      }
      Object verdict = call(method(checkerType, "check", List.class), checker, operations);
      Class<?> verdictType = verdict.getClass();
      return new Verdict(
          (Boolean) call(method(verdictType, "linearizable"), verdict),
          (Boolean) call(method(verdictType, "exhausted"), verdict),
          (String) call(method(verdictType, "explanation"), verdict));
    }

    Object call(Method method, Object target, Object... args) {
      try {
        return method.invoke(target, args);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }

    private static Class<?> type(String name) {
      try {
        return Class.forName(name);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("the sim's checker is missing from the test classpath: " + name, e);
      }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) {
      try {
        return accessible(type.getDeclaredMethod(name, parameters));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("the sim's checker API changed: " + type.getName() + "." + name, e);
      }
    }

    private static Object staticField(Class<?> type, String name) {
      try {
        return accessible(type.getDeclaredField(name)).get(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("the sim's checker API changed: " + type.getName() + "." + name, e);
      }
    }

    private static Object construct(Class<?> type) {
      try {
        return accessible(type.getDeclaredConstructor()).newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + type.getName(), e);
      }
    }

    private static <T extends AccessibleObject> T accessible(T member) {
      member.setAccessible(true);
      return member;
    }
  }
}
