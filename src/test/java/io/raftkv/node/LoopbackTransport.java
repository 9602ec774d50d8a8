package io.raftkv.node;

import io.raftkv.raft.Message;
import io.raftkv.transport.InboundHandler;
import io.raftkv.transport.PeerTransport;
import io.raftkv.transport.PeerUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * In-memory {@link PeerTransport} for tests: nodes register on a shared {@link Network}; messages go
 * straight into the receiver's handler (which only enqueues, as the real transport does). A node that
 * is not registered (stopped, or cut off with {@link Network#isolate}) receives nothing.
 */
final class LoopbackTransport implements PeerTransport {

  /** The shared "wire": who is reachable. */
  static final class Network implements AutoCloseable {
    private final Map<Long, InboundHandler> handlers = new ConcurrentHashMap<>();
    private final Map<Long, Boolean> isolated = new ConcurrentHashMap<>();
    /** Forwards whose request is delivered but whose reply is lost on the way back (a connection reset). */
    final java.util.concurrent.atomic.AtomicInteger lostForwardReplies = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "loopback-net");
      t.setDaemon(true);
      return t;
    });

    void isolate(long id, boolean cut) {
      if (cut) isolated.put(id, true); else isolated.remove(id);
    }

    private InboundHandler reachable(long from, long to) {
      if (isolated.containsKey(from) || isolated.containsKey(to)) return null;
      return handlers.get(to);
    }

    @Override
    public void close() {
      async.shutdownNow();
    }
  }

  private final long self;
  private final Network net;
  private final Path scratch;

  LoopbackTransport(long self, Network net, Path scratch) {
    this.self = self;
    this.net = net;
    this.scratch = scratch;
  }

  @Override
  public void start(InboundHandler handler) {
    net.handlers.put(self, handler);
  }

  @Override
  public void updatePeers(Map<Long, String> peers) {
    // Addresses are irrelevant in memory: every registered node is reachable.
  }

  @Override
  public void send(Message m) {
    InboundHandler h = net.reachable(self, m.to());
    if (h != null) h.onMessage(m);
  }

  @Override
  public void sendSnapshot(Message m, Path snapshotFile, Consumer<Boolean> done) {
    net.async.execute(() -> {
      InboundHandler h = net.reachable(self, m.to());
      if (h == null) {
        done.accept(false);
        return;
      }
      try {
        Files.createDirectories(scratch);
        Path copy = Files.createTempFile(scratch, "recv-", ".snap");
        Files.copy(snapshotFile, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        h.onSnapshot(m, copy);
        done.accept(true);
      } catch (IOException e) {
        done.accept(false);
      }
    });
  }

  @Override
  public CompletableFuture<byte[]> forward(long leader, byte[] request, Duration timeout) {
    InboundHandler h = net.reachable(self, leader);
    if (h == null) {
      return CompletableFuture.failedFuture(
          new PeerUnavailableException(leader, PeerUnavailableException.Reason.UNREACHABLE, "not reachable", null));
    }
    CompletableFuture<byte[]> reply = CompletableFuture.supplyAsync(() -> h.onForward(request), net.async)
        .thenCompose(f -> f)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (net.lostForwardReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return reply.handle((r, e) -> {
        throw new PeerUnavailableException(leader, PeerUnavailableException.Reason.UNREACHABLE, "reply lost", null);
      });
    }
    return reply;
  }

  @Override
  public void close() {
    net.handlers.remove(self);
  }
}
