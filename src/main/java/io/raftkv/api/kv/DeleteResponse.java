package io.raftkv.api.kv;

/** Result of a delete: {@code revision} is the Raft index of the delete. */
public record DeleteResponse(String key, boolean deleted, long revision) {}
