package io.raftkv.api.kv;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** Result of a delete: {@code revision} is the Raft index of the delete. */
@JsonbPropertyOrder({"key", "deleted", "revision"})
public record DeleteResponse(String key, boolean deleted, long revision) {}
