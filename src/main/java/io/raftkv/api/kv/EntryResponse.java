package io.raftkv.api.kv;

import io.raftkv.kv.KvEntry;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A key's state as returned by PUT and GET; {@code revision} is the Raft index of the last write. */
@JsonbPropertyOrder({"key", "value", "revision", "createRevision", "version"})
public record EntryResponse(String key, String value, long revision, long createRevision, long version) {

  public static EntryResponse of(KvEntry entry) {
    return new EntryResponse(entry.key(), entry.value(), entry.modRevision(), entry.createRevision(), entry.version());
  }
}
