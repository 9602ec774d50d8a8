package io.raftkv.api.kv;

import io.raftkv.kv.RangeResult;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * A range read: the entries in key order, read at {@code revision} (the store's applied index the read
 * was served at); {@code more} says keys of the range were left out by the limit or the byte bound.
 */
@JsonbPropertyOrder({"revision", "items", "more"})
public record RangeResponse(long revision, List<EntryResponse> items, boolean more) {

  public static RangeResponse of(RangeResult result) {
    List<EntryResponse> items = result.entries().stream().map(EntryResponse::of).toList();
    return new RangeResponse(result.revision(), items, result.more());
  }
}
