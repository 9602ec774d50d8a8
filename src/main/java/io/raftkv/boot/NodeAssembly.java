package io.raftkv.boot;

import io.raftkv.kv.ExpiryTicker;
import io.raftkv.kv.KvService;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.RaftKvService;
import io.raftkv.kv.watch.HubListener;
import io.raftkv.kv.watch.WatchHub;
import io.raftkv.node.FileSnapshotStore;
import io.raftkv.node.JeRaftStorage;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftLoop;
import io.raftkv.node.metrics.NodeCounters;
import io.raftkv.storage.JeLogStore;
import io.raftkv.storage.SnapshotFiles;
import io.raftkv.transport.GrpcPeerTransport;
import io.raftkv.transport.TransportConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One node's parts wired together without CDI (so tests can start real nodes): JE log store, snapshot
 * files, key-value state machine, gRPC transport, Raft loop, {@link KvService} and the TTL
 * {@link ExpiryTicker}. Closing stops them in reverse order.
 *
 * <p>The {@link WatchHub} is the state machine's change listener from before the loop restores its
 * snapshot and replays its log, so its history is exactly the changes applied here after the last
 * snapshot, each delivered only once readers of this node can see it (KvStateMachine's DeferredChanges).
 */
public final class NodeAssembly implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NodeAssembly.class.getName());

  private final NodeConfig config;
  private final JeLogStore store;
  private final GrpcPeerTransport transport;
  private final RaftLoop loop;
  private final RaftKvService service;
  private final WatchHub watchHub;
  private final ExpiryTicker expiryTicker;

  private NodeAssembly(NodeConfig config, JeLogStore store, GrpcPeerTransport transport, RaftLoop loop,
      RaftKvService service, WatchHub watchHub, ExpiryTicker expiryTicker) {
    this.config = config;
    this.store = store;
    this.transport = transport;
    this.loop = loop;
    this.service = service;
    this.watchHub = watchHub;
    this.expiryTicker = expiryTicker;
  }

  /**
   * Opens storage, restores state and starts transport and loop. On failure everything opened so far is
   * closed again and the cause is rethrown (corrupt log, port in use, unreadable snapshot...).
   */
  public static NodeAssembly start(NodeConfig config) throws IOException {
    return start(config, WatchSettings.DEFAULTS);
  }

  /** As {@link #start(NodeConfig)}, with the watch hub's limits. */
  public static NodeAssembly start(NodeConfig config, WatchHub.Limits watchLimits) throws IOException {
    Files.createDirectories(config.dataDir());
    JeLogStore store = JeLogStore.open(config.dataDir(), config.storeOptions());
    GrpcPeerTransport transport = null;
    RaftLoop loop = null;
    try {
      SnapshotFiles files = SnapshotFiles.open(config.dataDir());
      KvStateMachine stateMachine = new KvStateMachine();
      WatchHub watchHub = new WatchHub(watchLimits);
      stateMachine.setChangeListener(new HubListener(watchHub));
      transport = new GrpcPeerTransport(transportConfig(config));
      NodeCounters counters = new NodeCounters();
      loop = new RaftLoop(config, new JeRaftStorage(store, counters), new FileSnapshotStore(files),
          stateMachine, transport, counters);
      loop.start();
      RaftLoop started = loop;
      ExpiryTicker ticker = new ExpiryTicker(stateMachine.expiries(), started::isLeader, started::propose);
      ticker.start();
      return new NodeAssembly(config, store, transport, loop, new RaftKvService(loop, stateMachine),
          watchHub, ticker);
    } catch (IOException | RuntimeException | Error e) {
      closeQuietly(loop);
      closeQuietly(transport);
      closeQuietly(store);
      throw e;
    }
  }

  static TransportConfig transportConfig(NodeConfig config) {
    String host = config.peerAddress().host();
    TransportConfig t = TransportConfig.defaults(config.nodeId(), host, config.peerAddress().port(),
        config.dataDir().resolve("incoming-snapshots"));
    // On 127.0.0.N, outgoing connections also leave from that address, so a test can isolate the node
    // with firewall rules on its address alone.
    if (config.peerTls().isPresent()) t = t.withTls(config.peerTls().get());
    return host.startsWith("127.") ? t.withSourceAddress(host) : t;
  }

  public NodeConfig config() {
    return config;
  }

  public RaftLoop loop() {
    return loop;
  }

  public KvService service() {
    return service;
  }

  /** This node's feed of applied changes, for watchers. */
  public WatchHub watchHub() {
    return watchHub;
  }

  /** The bound peer port (differs from the configured one only when that was 0). */
  public int peerPort() {
    return transport.port();
  }

  /** Stops the loop, then the transport, then closes storage; each step is bounded in time. */
  @Override
  public void close() {
    closeQuietly(expiryTicker);
    closeQuietly(loop);
    closeQuietly(transport);
    closeQuietly(store);
    LOG.info("node " + config.nodeId() + " stopped");
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "error while closing " + c.getClass().getSimpleName(), e);
    }
  }
}
