package io.raftkv.cluster;

import io.raftkv.kv.KvEntry;
import io.raftkv.kv.RangeQuery;
import io.raftkv.kv.RangeResult;
import io.raftkv.kv.Txn;
import io.raftkv.kv.TxnOutcome;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP forms (docs/api.md) of range reads and transactions, to and from the model's types: the
 * cluster tests send a {@link RangeQuery} or {@link Txn} as a URL query or JSON body, record that text,
 * and the checker's bridge ({@link SimLinearizability}) reads request and answer back.
 */
final class ModelJson {

  private ModelJson() {}

  /** {@code prefix=} when the query is a prefix, else {@code start=}/{@code end=}; then after, limit, countOnly. */
  static String rangeQuery(RangeQuery q) {
    Map<String, String> params = new LinkedHashMap<>();
    String prefixEnd = RangeQuery.prefixEnd(q.start());
    if (!q.start().isEmpty() && prefixEnd != null && prefixEnd.equals(q.end())) {
      params.put("prefix", q.start());
    } else {
      if (!q.start().isEmpty()) params.put("start", q.start());
      if (q.end() != null) params.put("end", q.end());
    }
    if (q.after() != null) params.put("after", q.after());
    if (q.countOnly()) {
      params.put("countOnly", "true");
    } else if (q.limit() != RangeQuery.DEFAULT_LIMIT) {
      params.put("limit", Integer.toString(q.limit()));
    }
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }

  static RangeQuery parseRangeQuery(String query) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : query.split("&")) {
      if (part.isEmpty()) continue;
      int eq = part.indexOf('=');
      params.put(part.substring(0, eq), URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
    }
    String prefix = params.get("prefix");
    RangeQuery q = prefix != null ? RangeQuery.prefix(prefix)
        : RangeQuery.between(params.getOrDefault("start", ""), params.get("end"));
    if (params.containsKey("after")) q = q.withAfter(params.get("after"));
    if (params.containsKey("limit")) q = q.withLimit(Integer.parseInt(params.get("limit")));
    if ("true".equals(params.get("countOnly"))) q = q.counting();
    return q;
  }

  /** A range answer: {@code {"revision","items":[...],"more"}} or {@code {"revision","count"}}. */
  static RangeResult parseRangeAnswer(String body) {
    JsonObject o = parse(body);
    long revision = number(o, "revision");
    if (o.containsKey("count")) return RangeResult.count(revision, (int) number(o, "count"));
    List<KvEntry> entries = new ArrayList<>();
    for (JsonObject item : o.getJsonArray("items").getValuesAs(JsonObject.class)) entries.add(entry(item));
    return RangeResult.items(revision, entries, o.getBoolean("more", false));
  }

  static String txnRequest(Txn txn) {
    JsonArrayBuilder compares = Json.createArrayBuilder();
    for (Txn.Compare c : txn.compares()) {
      JsonObjectBuilder b = Json.createObjectBuilder().add("key", c.key());
      switch (c.target()) {
        case VALUE -> b.add("value", c.value());
        case MOD_REVISION -> b.add("revision", c.number());
        case CREATE_REVISION -> b.add("createRevision", c.number());
        case VERSION -> b.add("version", c.number());
        case EXISTS -> b.add("exists", c.number() == 1);
      }
      compares.add(b);
    }
    return Json.createObjectBuilder().add("compare", compares).add("success", ops(txn.success()))
        .add("failure", ops(txn.failure())).build().toString();
  }

  private static JsonArrayBuilder ops(List<Txn.Op> ops) {
    JsonArrayBuilder out = Json.createArrayBuilder();
    for (Txn.Op op : ops) {
      JsonObjectBuilder b = Json.createObjectBuilder().add("key", op.key());
      if (op instanceof Txn.Put p) {
        b.add("op", "put").add("value", p.value());
      } else {
        b.add("op", op instanceof Txn.Delete ? "delete" : "get");
      }
      out.add(b);
    }
    return out;
  }

  static Txn parseTxnRequest(String body) {
    JsonObject o = parse(body);
    List<Txn.Compare> compares = new ArrayList<>();
    for (JsonObject c : array(o, "compare").getValuesAs(JsonObject.class)) {
      String key = c.getString("key");
      if (c.containsKey("value")) {
        compares.add(Txn.Compare.value(key, c.getString("value")));
      } else if (c.containsKey("revision")) {
        compares.add(Txn.Compare.number(key, Txn.Target.MOD_REVISION, number(c, "revision")));
      } else if (c.containsKey("createRevision")) {
        compares.add(Txn.Compare.number(key, Txn.Target.CREATE_REVISION, number(c, "createRevision")));
      } else if (c.containsKey("version")) {
        compares.add(Txn.Compare.number(key, Txn.Target.VERSION, number(c, "version")));
      } else {
        compares.add(Txn.Compare.exists(key, c.getBoolean("exists")));
      }
    }
    return new Txn(compares, parseOps(array(o, "success")), parseOps(array(o, "failure")));
  }

  private static List<Txn.Op> parseOps(JsonArray ops) {
    List<Txn.Op> out = new ArrayList<>();
    for (JsonObject op : ops.getValuesAs(JsonObject.class)) {
      String key = op.getString("key");
      out.add(switch (op.getString("op")) {
        case "put" -> new Txn.Put(key, op.getString("value"));
        case "delete" -> new Txn.Delete(key);
        default -> new Txn.Get(key);
      });
    }
    return out;
  }

  /** A txn answer: {@code {"succeeded","revision","results":[...]}}. */
  static TxnOutcome parseTxnAnswer(String body) {
    JsonObject o = parse(body);
    List<TxnOutcome.OpResult> results = new ArrayList<>();
    for (JsonObject r : array(o, "results").getValuesAs(JsonObject.class)) {
      String key = r.getString("key");
      results.add(switch (r.getString("op")) {
        case "put" -> new TxnOutcome.PutResult(key, number(r, "revision"), number(r, "version"));
        case "delete" -> new TxnOutcome.DeleteResult(key, r.getBoolean("deleted"));
        default -> new TxnOutcome.GetResult(key, r.getBoolean("found") ? entry(r) : null);
      });
    }
    return new TxnOutcome(o.getBoolean("succeeded"), number(o, "revision"), results);
  }

  private static KvEntry entry(JsonObject o) {
    return new KvEntry(o.getString("key"), o.getString("value"), number(o, "createRevision"), number(o, "revision"),
        number(o, "version"));
  }

  private static JsonArray array(JsonObject o, String name) {
    return o.get(name) instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
  }

  /** The number under {@code name}, 0 (not reported) when absent. */
  private static long number(JsonObject o, String name) {
    return o.get(name) instanceof JsonNumber n ? n.longValue() : 0;
  }

  private static JsonObject parse(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
