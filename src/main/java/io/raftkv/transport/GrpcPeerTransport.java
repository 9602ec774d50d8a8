package io.raftkv.transport;

import io.grpc.Server;
import io.raftkv.raft.Message;
import io.raftkv.transport.PeerUnavailableException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link PeerTransport} over gRPC (grpc-netty-shaded): one server on the configured host:port, and per
 * peer one channel, one bounded send queue and one long-lived message stream. Snapshots are streamed on
 * their own threads so they never hold up replication to other peers.
 */
public final class GrpcPeerTransport implements PeerTransport {
  private static final Logger LOG = Logger.getLogger(GrpcPeerTransport.class.getName());
  /** Snapshot transfers in flight at once (one per lagging follower is the normal case). */
  static final int MAX_CONCURRENT_SNAPSHOTS = 4;

  private final TransportConfig config;
  private final Map<Long, PeerClient> peers = new ConcurrentHashMap<>();
  private final ExecutorService snapshotExecutor;
  private volatile InboundHandler handler;
  private volatile boolean closed;
  private Server server;

  public GrpcPeerTransport(TransportConfig config) {
    this.config = config;
    AtomicInteger threads = new AtomicInteger();
    // Bounded: a transfer beyond the limit is refused (done(false)) and Raft asks again later.
    this.snapshotExecutor = new ThreadPoolExecutor(0, MAX_CONCURRENT_SNAPSHOTS, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "raftkv-snapshot-sender-" + config.selfId() + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public synchronized void start(InboundHandler inbound) {
    if (server != null) throw new IllegalStateException("transport already started");
    if (closed) throw new IllegalStateException("transport closed");
    this.handler = inbound;
    try {
      prepareSnapshotDir(config.snapshotTempDir());
      server = PeerChannels.startServer(config,
          new PeerService(config.selfId(), config.snapshotTempDir(), inbound, this::peerGreetedUs));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start peer server on " + config.bindHost() + ":"
          + config.bindPort(), e);
    }
    LOG.info(() -> "node " + config.selfId() + " serving peers on " + config.bindHost() + ":" + port());
  }

  /** The port the server listens on (useful when configured with port 0). */
  public synchronized int port() {
    if (server == null) throw new IllegalStateException("transport not started");
    return server.getPort();
  }

  @Override
  public synchronized void updatePeers(Map<Long, String> newPeers) {
    if (closed) return;
    Map<Long, String> wanted = new HashMap<>(newPeers);
    wanted.remove(config.selfId());
    for (Map.Entry<Long, PeerClient> e : Map.copyOf(peers).entrySet()) {
      String address = wanted.get(e.getKey());
      if (address == null || !address.equals(e.getValue().address())) {
        peers.remove(e.getKey());
        // Not awaited: the caller may be the Raft loop, and nothing depends on the old channel's end.
        e.getValue().shutdown();
      }
    }
    wanted.forEach((id, address) -> peers.computeIfAbsent(id,
        peer -> new PeerClient(config, peer, address, this::reportUnreachable)));
  }

  @Override
  public void send(Message m) {
    if (closed) return;
    PeerClient peer = peers.get(m.to());
    if (peer == null || !peer.enqueue(m)) reportUnreachable(m.to());
  }

  @Override
  public void sendSnapshot(Message m, Path snapshotFile, Consumer<Boolean> done) {
    PeerClient peer = peers.get(m.to());
    try {
      snapshotExecutor.execute(() -> done.accept(transferSnapshot(peer, m, snapshotFile)));
    } catch (RejectedExecutionException e) {
      LOG.warning(() -> "snapshot to peer " + m.to() + " refused: too many transfers in flight or closed");
      done.accept(false);
    }
  }

  private boolean transferSnapshot(PeerClient peer, Message m, Path snapshotFile) {
    if (peer == null || closed) return false;
    try {
      return peer.sendSnapshot(m, snapshotFile);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "snapshot to peer " + m.to() + " failed", e);
      return false;
    }
  }

  @Override
  public CompletableFuture<byte[]> forward(long leader, byte[] request, Duration timeout) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new PeerUnavailableException(leader, Reason.CLOSED, "transport closed", null));
    }
    PeerClient peer = peers.get(leader);
    if (peer == null) {
      return CompletableFuture.failedFuture(
          new PeerUnavailableException(leader, Reason.UNKNOWN_PEER, "no address known", null));
    }
    return peer.forward(request, timeout);
  }

  @Override
  public void close() {
    Server toStop;
    synchronized (this) {
      if (closed) return;
      closed = true;
      toStop = server;
    }
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    snapshotExecutor.shutdownNow();
    List<PeerClient> clients = List.copyOf(peers.values());
    peers.clear();
    clients.forEach(PeerClient::shutdown);
    // Not a graceful shutdown: peers' streams are long-lived and would hold it for the whole timeout,
    // and Raft recovers from whatever was in flight.
    if (toStop != null) toStop.shutdownNow();
    try {
      for (PeerClient c : clients) c.awaitTermination(deadline);
      if (toStop != null) toStop.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A peer opened a stream to us, so it is up: our own stream to it need not wait out a back-off. */
  private void peerGreetedUs(long peer) {
    PeerClient client = peers.get(peer);
    if (client != null) client.peerIsBack();
  }

  private void reportUnreachable(long peer) {
    InboundHandler h = handler;
    if (h == null || closed) return;
    try {
      h.onUnreachable(peer);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "onUnreachable(" + peer + ") failed", e);
    }
  }

  /** Creates the directory and removes partial transfers left by a previous crash. */
  private static void prepareSnapshotDir(Path dir) throws IOException {
    Files.createDirectories(dir);
    String glob = SnapshotReceiver.TEMP_PREFIX + "*" + SnapshotReceiver.TEMP_SUFFIX;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, glob)) {
      for (Path p : leftovers) Files.deleteIfExists(p);
    }
  }
}
