package io.raftkv.kv;

/**
 * Precondition of a put (compare-and-set). Exactly one kind applies; a failed check completes the put
 * with {@link KvException.PreconditionFailed}.
 */
public record Condition(Kind kind, long revision, String value) {
  public enum Kind { NONE, MOD_REVISION_EQUALS, VALUE_EQUALS, ABSENT }

  public static final Condition NONE = new Condition(Kind.NONE, 0, null);

  public static Condition modRevision(long revision) {
    return new Condition(Kind.MOD_REVISION_EQUALS, revision, null);
  }

  public static Condition valueEquals(String value) {
    return new Condition(Kind.VALUE_EQUALS, 0, value);
  }

  public static Condition absent() {
    return new Condition(Kind.ABSENT, 0, null);
  }
}
