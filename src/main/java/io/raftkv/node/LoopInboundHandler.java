package io.raftkv.node;

import io.raftkv.raft.Message;
import io.raftkv.transport.InboundHandler;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Routes transport callbacks: Raft traffic to the loop's inbox, forwarded requests to the server side. */
final class LoopInboundHandler implements InboundHandler {
  private final PeerInbox inbox;
  private final ForwardServer forwardServer;

  LoopInboundHandler(PeerInbox inbox, ForwardServer forwardServer) {
    this.inbox = inbox;
    this.forwardServer = forwardServer;
  }

  @Override
  public void onMessage(Message m) {
    inbox.offer(m);
  }

  @Override
  public void onSnapshot(Message m, Path file) {
    inbox.offerSnapshot(m, file);
  }

  @Override
  public CompletableFuture<byte[]> onForward(byte[] request) {
    return forwardServer.handle(request);
  }

  @Override
  public void onUnreachable(long peer) {
    inbox.reportUnreachable(peer);
  }
}
