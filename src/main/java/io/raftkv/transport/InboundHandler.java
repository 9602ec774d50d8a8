package io.raftkv.transport;

import io.raftkv.raft.Message;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** What a node does with traffic from its peers. Called on transport threads: must not block. */
public interface InboundHandler {

  /** A Raft message arrived. */
  void onMessage(Message m);

  /** A snapshot arrived complete and checksummed in {@code file} (the handler takes ownership). */
  void onSnapshot(Message m, Path file);

  /** A follower forwarded a client request; the reply bytes go back to it. */
  CompletableFuture<byte[]> onForward(byte[] request);

  /** Sending to {@code peer} failed or its queue overflowed. */
  void onUnreachable(long peer);
}
