package io.raftkv.kv;

/**
 * A key's current value with etcd-style revisions: {@code modRevision} is the Raft index of the last
 * write, {@code createRevision} of the write that created it, {@code version} counts writes since creation.
 */
public record KvEntry(String key, String value, long createRevision, long modRevision, long version) {}
