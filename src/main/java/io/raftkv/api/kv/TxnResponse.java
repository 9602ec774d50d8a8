package io.raftkv.api.kv;

import io.raftkv.kv.TxnOutcome;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * The answer of {@code POST /txn}: which branch ran, the txn's revision (its log index; every write of
 * the txn has it) and one result per op of that branch.
 */
@JsonbPropertyOrder({"succeeded", "revision", "results"})
public record TxnResponse(boolean succeeded, long revision, List<OpResponse> results) {

  /**
   * One op's result; absent members are left out: a put has {@code revision} and {@code version}, a
   * delete {@code deleted}, a get {@code found} and, when found, the entry's fields.
   */
  @JsonbPropertyOrder({"op", "key", "deleted", "found", "value", "revision", "createRevision", "version"})
  public record OpResponse(String op, String key, Boolean deleted, Boolean found, String value, Long revision,
      Long createRevision, Long version) {}

  public static TxnResponse of(TxnOutcome outcome) {
    return new TxnResponse(outcome.succeeded(), outcome.revision(),
        outcome.results().stream().map(TxnResponse::of).toList());
  }

  private static OpResponse of(TxnOutcome.OpResult result) {
    if (result instanceof TxnOutcome.PutResult put) {
      return new OpResponse("put", put.key(), null, null, null, put.revision(), null, put.version());
    }
    if (result instanceof TxnOutcome.DeleteResult delete) {
      return new OpResponse("delete", delete.key(), delete.deleted(), null, null, null, null, null);
    }
    TxnOutcome.GetResult get = (TxnOutcome.GetResult) result;
    if (get.entry() == null) return new OpResponse("get", get.key(), null, false, null, null, null, null);
    return new OpResponse("get", get.key(), null, true, get.entry().value(), get.entry().modRevision(),
        get.entry().createRevision(), get.entry().version());
  }
}
