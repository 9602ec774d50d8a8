package io.raftkv.sim;

import java.util.Objects;

/**
 * One client operation on a single key, and its sequential specification. The simulator's state
 * machine ({@link KvModel}) and the {@link LinearizabilityChecker} both use {@link #applyTo}, so the
 * checker judges the replicated store against exactly the semantics a single copy would have. Public
 * so the real-cluster tests can check their histories with the same checker.
 *
 * @param value    PUT: the new value; CAS: the value to install on a match
 * @param expected CAS only: the value the key must currently hold
 */
public record KvOp(Kind kind, String key, String value, String expected) {

  public enum Kind { PUT, GET, DELETE, CAS }

  /** What an operation returned: {@code ok} = put done / key existed (delete) / swapped (cas). */
  public record Result(boolean ok, String value) {
    public static final Result OK = new Result(true, null);
    public static final Result NOT_OK = new Result(false, null);

    public static Result read(String value) {
      return new Result(true, value);
    }

    @Override
    public String toString() {
      return value == null ? String.valueOf(ok) : "\"" + value + "\"";
    }
  }

  /** The result of applying an operation to a register, and the register's next value (null = absent). */
  public record Outcome(Result result, String next) {}

  public KvOp {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
  }

  public static KvOp put(String key, String value) {
    return new KvOp(Kind.PUT, key, value, null);
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

  public boolean isWrite() {
    return kind != Kind.GET;
  }

  /** Sequential semantics on one key whose current value is {@code current} (null = absent). */
  public Outcome applyTo(String current) {
    return switch (kind) {
      case PUT -> new Outcome(Result.OK, value);
      case GET -> new Outcome(Result.read(current), current);
      case DELETE -> new Outcome(current != null ? Result.OK : Result.NOT_OK, null);
      case CAS -> Objects.equals(current, expected)
          ? new Outcome(Result.OK, value)
          : new Outcome(Result.NOT_OK, current);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case PUT -> "put(" + key + "," + value + ")";
      case GET -> "get(" + key + ")";
      case DELETE -> "delete(" + key + ")";
      case CAS -> "cas(" + key + "," + expected + "->" + value + ")";
    };
  }
}
