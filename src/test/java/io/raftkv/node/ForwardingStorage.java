package io.raftkv.node;

/** A {@link RaftStorage} that passes every call on ({@link DelegatingStorage}); tests override the calls they break or observe. */
class ForwardingStorage extends DelegatingStorage {
  ForwardingStorage(RaftStorage d) {
    super(d);
  }
}
