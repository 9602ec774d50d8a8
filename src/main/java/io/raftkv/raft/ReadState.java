package io.raftkv.raft;

import java.util.Arrays;

/**
 * A read request that is now safe to serve: once the state machine has applied {@code index}, a read
 * of local state is linearizable. {@code context} is the caller's opaque request id from
 * {@link RaftNode#readIndex(byte[], boolean)}.
 */
public record ReadState(long index, byte[] context) {
  @Override
  public boolean equals(Object o) {
    return o instanceof ReadState r && r.index == index && Arrays.equals(r.context, context);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Arrays.hashCode(context);
  }

  @Override
  public String toString() {
    return "ReadState{index=" + index + ", ctx=" + Arrays.toString(context) + "}";
  }
}
