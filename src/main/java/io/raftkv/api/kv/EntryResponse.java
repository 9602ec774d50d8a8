package io.raftkv.api.kv;

import io.raftkv.kv.KvEntry;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A key's state as returned by PUT, GET and range items; {@code revision} is the Raft index of the last
 * write. {@code ttl} (seconds) only for a key with a TTL (null, so left out of the JSON, otherwise): the
 * granted TTL in a PUT's answer, the seconds remaining (as the serving node estimates them, at least 1)
 * in a read's.
 */
@JsonbPropertyOrder({"key", "value", "revision", "createRevision", "version", "ttl"})
public record EntryResponse(String key, String value, long revision, long createRevision, long version, Long ttl) {

  /** An entry without a TTL. */
  public EntryResponse(String key, String value, long revision, long createRevision, long version) {
    this(key, value, revision, createRevision, version, null);
  }

  public static EntryResponse of(KvEntry entry) {
    return new EntryResponse(entry.key(), entry.value(), entry.modRevision(), entry.createRevision(), entry.version(),
        entry.hasTtl() ? entry.ttlSeconds() : null);
  }
}
