package io.raftkv.boot;

import io.raftkv.kv.KvException;
import io.raftkv.kv.KvService;
import io.raftkv.kv.watch.WatchHub;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.RaftLoop;
import io.raftkv.node.metrics.NodeMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Starts the node when the application starts (eager, during deployment) and stops it on undeploy or
 * SIGTERM. Reads {@code raftkv.*} from MicroProfile Config (system properties, env {@code RAFTKV_*}),
 * and produces the application's {@link KvService}. A node that cannot start (bad configuration,
 * corrupt log, port in use) exits the JVM with status 1 via {@link FatalExit}; so does one whose Raft
 * loop dies later.
 */
@ApplicationScoped
public class NodeLifecycle {
  private static final Logger LOG = Logger.getLogger(NodeLifecycle.class.getName());
  /** {@code false}: leave SIGTERM to the JVM and Payara (their undeploy-first shutdown). */
  static final String SIGNAL_SHUTDOWN = "raftkv.signal.shutdown";
  /** Bound on waiting for the agent's start (JE recovery of a large log included). */
  static final long EARLY_START_WAIT_S = 120;

  @Inject
  Config config;

  private NodeAssembly node;
  private Throwable startFailure;
  private Thread stoppingHook;
  private SignalShutdown signals;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    takeOverSignals();
    ensureStarted();
  }

  /**
   * SIGTERM/SIGINT stop the node and halt the JVM ({@link SignalShutdown}) instead of running Payara's
   * shutdown, which undeploys first and lets the container's own pages answer meanwhile. Installed
   * before the node starts, so a signal during start-up waits for the start, then stops the node.
   */
  private synchronized void takeOverSignals() {
    if (signals != null || !Boolean.parseBoolean(System.getProperty(SIGNAL_SHUTDOWN, "true"))) return;
    signals = SignalShutdown.forJvm(this::stop);
    signals.install();
  }

  private synchronized NodeAssembly ensureStarted() {
    if (node != null || startFailure != null) return node;
    try {
      Function<String, Optional<String>> lookup =
          key -> config.getOptionalValue(key, String.class);
      var join = ClusterJoin.configured(lookup);
      if (join.isPresent()) lookup = join.get().withMemberAddresses(lookup);
      node = startOrAdopt(lookup);
      NodeConfig nodeConfig = node.config();
      node.loop().onFatal(t -> {
        ServingGate.serving(false);
        FatalExit.now("raft loop of node " + nodeConfig.nodeId() + " failed", t);
      });
      watchShutdown();
      ServingGate.serving(true);
      if (join.isPresent()) {
        long seconds = config.getOptionalValue(ClusterJoin.JOIN_TIMEOUT_S, Long.class).orElse(600L);
        join.get().requestMembership(node.loop(), Duration.ofSeconds(seconds));
      }
      LOG.info("raftkv node " + nodeConfig.nodeId() + " running: peers on " + nodeConfig.peerAddress()
          + ", data in " + nodeConfig.dataDir());
    } catch (Throwable t) {
      startFailure = t;
      FatalExit.now("raftkv node failed to start", t);
    }
    return node;
  }

  /**
   * The node the agent started before the container booted ({@link EarlyStart}), once it runs;
   * otherwise a node started here. A failed early start has already ended the JVM; one that has not
   * finished within {@link #EARLY_START_WAIT_S} fails the deployment like any start failure.
   */
  private static NodeAssembly startOrAdopt(Function<String, Optional<String>> lookup) throws Exception {
    Optional<CompletableFuture<NodeAssembly>> early = EarlyStart.started();
    if (early.isEmpty()) return NodeAssembly.start(NodeConfig.fromLookup(lookup), WatchSettings.fromLookup(lookup));
    try {
      NodeAssembly adopted = early.get().get(EARLY_START_WAIT_S, TimeUnit.SECONDS);
      LOG.info("adopting raftkv node " + adopted.config().nodeId() + " started before the deployment");
      // The container's listener opens on the same port once the deployment is done (post-deploy command).
      EarlyStart.closeEarlyHttp();
      return adopted;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The KvService for JAX-RS resources and health checks (bean type {@link KvService}). */
  @Produces
  @ApplicationScoped
  KvService kvService() {
    NodeAssembly n = ensureStarted();
    if (n == null) throw new KvException.Unavailable("node failed to start: " + startFailure, 5);
    return n.service();
  }

  /** The node's change feed for the watch endpoint; a pseudo-scope because a final class has no proxy. */
  @Produces
  @Singleton
  WatchHub watchHub() {
    NodeAssembly n = ensureStarted();
    if (n == null) throw new KvException.Unavailable("node failed to start: " + startFailure, 5);
    return n.watchHub();
  }

  /** The node's Raft state and counters for the metrics registrar (bean type {@link NodeMetrics}). */
  @Produces
  @ApplicationScoped
  NodeMetrics nodeMetrics() {
    NodeAssembly n = ensureStarted();
    if (n == null) throw new KvException.Unavailable("node failed to start: " + startFailure, 5);
    return n.loop().metrics();
  }

  /**
   * Marks the node as stopping the moment the JVM begins to shut down. Payara's own shutdown hook
   * undeploys the application before it closes the HTTP listener; this one (JVM hooks run
   * concurrently) only flips a flag, so {@link ServingGate} answers 503 from the start of shutdown.
   */
  private void watchShutdown() {
    stoppingHook = new Thread(ServingGate::stopping, "raftkv-stopping");
    Runtime.getRuntime().addShutdownHook(stoppingHook);
  }

  /** The running loop, or null when the node is not (yet, or no longer) running. */
  public synchronized RaftLoop loop() {
    return node == null ? null : node.loop();
  }

  @PreDestroy
  synchronized void stop() {
    ServingGate.stopping();
    if (signals != null) {
      signals.uninstall(); // an undeploy without exit gives the signals back
      signals = null;
    }
    if (stoppingHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(stoppingHook); // undeploy without exit: no leak
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: nothing to remove
      }
      stoppingHook = null;
    }
    if (node == null) return;
    LOG.info("stopping raftkv node " + node.config().nodeId());
    node.close();
    node = null;
  }
}
