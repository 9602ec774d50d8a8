package io.raftkv.api.kv;

import io.raftkv.kv.RangeResult;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A range read with {@code countOnly=true}: how many keys the range holds at {@code revision}. */
@JsonbPropertyOrder({"revision", "count"})
public record CountResponse(long revision, long count) {

  public static CountResponse of(RangeResult result) {
    return new CountResponse(result.revision(), result.count());
  }
}
