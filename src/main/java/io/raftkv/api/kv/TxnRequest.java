package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.JsonFields;
import io.raftkv.kv.Txn;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated {@code POST /txn} body: {@code {"compare":[...],"success":[...],"failure":[...]}}, each
 * list optional. A compare names a {@code key} and exactly one of {@code value}, {@code revision},
 * {@code createRevision}, {@code version} (whole numbers, 0 = absent key) or {@code exists}; an op is
 * {@code {"op":"put","key":...,"value":...}}, {@code {"op":"delete","key":...}} or
 * {@code {"op":"get","key":...}}. Limits: {@link #MAX_COMPARES} compares and {@link #MAX_OPS} ops per
 * branch (413), keys and values as for {@code /kv}, the whole body as any request body.
 */
public final class TxnRequest {
  public static final int MAX_COMPARES = 128;
  public static final int MAX_OPS = 128;

  private static final Set<String> FIELDS = Set.of("compare", "success", "failure");
  private static final Set<String> COMPARE_FIELDS = Set.of("key", "value", "revision", "createRevision", "version", "exists");
  private static final Map<String, Txn.Target> NUMBER_TARGETS = Map.of(
      "revision", Txn.Target.MOD_REVISION, "createRevision", Txn.Target.CREATE_REVISION, "version", Txn.Target.VERSION);
  private static final Set<String> OPS = Set.of("put", "delete", "get");

  private TxnRequest() {}

  public static Txn parse(JsonObject body, ApiLimits limits) {
    JsonFields.requireOnly(body, FIELDS);
    List<JsonObject> compares = objects(body, "compare", MAX_COMPARES);
    List<Txn.Compare> parsedCompares = new ArrayList<>();
    for (int i = 0; i < compares.size(); i++) parsedCompares.add(compare(compares.get(i), "compare[" + i + "]", limits));
    return new Txn(parsedCompares, ops(body, "success", limits), ops(body, "failure", limits));
  }

  private static Txn.Compare compare(JsonObject c, String where, ApiLimits limits) {
    requireOnly(c, COMPARE_FIELDS, where);
    String key = key(c, where, limits);
    Set<String> given = new HashSet<>(c.keySet());
    given.removeIf(name -> name.equals("key") || !JsonFields.has(c, name));
    if (given.size() != 1) {
      throw ApiException.badRequest("invalid compare", where + " must give exactly one of 'value', 'revision', "
          + "'createRevision', 'version', 'exists'; it gives " + given.size());
    }
    String target = given.iterator().next();
    if (target.equals("value")) {
      String value = JsonFields.string(c, "value");
      limits.checkValue(value);
      return Txn.Compare.value(key, value);
    }
    if (target.equals("exists")) return Txn.Compare.exists(key, JsonFields.bool(c, "exists"));
    return Txn.Compare.number(key, NUMBER_TARGETS.get(target), JsonFields.wholeNumber(c, target, 0));
  }

  private static List<Txn.Op> ops(JsonObject body, String branch, ApiLimits limits) {
    List<Txn.Op> ops = new ArrayList<>();
    Set<String> written = new HashSet<>();
    List<JsonObject> objects = objects(body, branch, MAX_OPS);
    for (int i = 0; i < objects.size(); i++) {
      Txn.Op op = op(objects.get(i), branch + "[" + i + "]", limits);
      if (!(op instanceof Txn.Get) && !written.add(op.key())) {
        throw ApiException.badRequest("invalid op", branch + "[" + i + "] writes key '" + op.key()
            + "' again; a branch may put or delete each key at most once");
      }
      ops.add(op);
    }
    return ops;
  }

  private static Txn.Op op(JsonObject o, String where, ApiLimits limits) {
    String kind = JsonFields.string(o, "op");
    if (kind == null || !OPS.contains(kind)) {
      throw ApiException.badRequest("invalid op", where + ".op must be one of \"put\", \"delete\", \"get\"");
    }
    requireOnly(o, kind.equals("put") ? Set.of("op", "key", "value") : Set.of("op", "key"), where);
    String key = key(o, where, limits);
    if (!kind.equals("put")) return kind.equals("get") ? new Txn.Get(key) : new Txn.Delete(key);
    String value = JsonFields.string(o, "value");
    if (value == null) throw ApiException.badRequest("invalid op", where + " is a put without a 'value'");
    limits.checkValue(value);
    return new Txn.Put(key, value);
  }

  private static String key(JsonObject o, String where, ApiLimits limits) {
    String key = JsonFields.string(o, "key");
    if (key == null) throw ApiException.badRequest("invalid key", where + " has no 'key'");
    limits.checkKey(key);
    return key;
  }

  /** The array {@code name} of objects (absent: empty), at most {@code max} long. */
  private static List<JsonObject> objects(JsonObject body, String name, int max) {
    if (!JsonFields.has(body, name)) return List.of();
    if (!(body.get(name) instanceof JsonArray array)) {
      throw ApiException.badRequest("invalid field", "'" + name + "' must be an array");
    }
    if (array.size() > max) {
      throw ApiException.tooLarge("txn too large", "'" + name + "' has " + array.size() + " entries; the limit is " + max);
    }
    List<JsonObject> objects = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (array.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
        throw ApiException.badRequest("invalid field", name + "[" + i + "] must be an object");
      }
      objects.add(array.getJsonObject(i));
    }
    return objects;
  }

  private static void requireOnly(JsonObject o, Set<String> allowed, String where) {
    try {
      JsonFields.requireOnly(o, allowed);
    } catch (ApiException e) {
      throw ApiException.badRequest(e.error(), where + ": " + e.detail());
    }
  }
}
