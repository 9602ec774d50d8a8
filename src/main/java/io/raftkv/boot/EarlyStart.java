package io.raftkv.boot;

import io.raftkv.node.NodeConfig;
import java.lang.instrument.Instrumentation;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Starts the Raft node before the application server boots (docs/operations.md, "Early start").
 *
 * <p>Payara Micro needs 6–8 s (more on a loaded machine) from JVM start to the deployment's CDI
 * start, where {@link NodeLifecycle} used to open storage and start the Raft loop. Until then the
 * node took no part in Raft: a restarted voter left the cluster one vote short for the whole boot,
 * and a second failure in that time stopped all writes. Started as a Java agent
 * ({@code -javaagent:raftkv-early.jar}, set by bin/raftkv-node), this class opens the log, starts
 * the peer transport and the Raft loop in the JVM's first second, on a thread of its own, while the
 * container boots; the deployment's {@link NodeLifecycle} then adopts the running node instead of
 * starting one. Meanwhile {@link EarlyHttp} answers the key API on the node's HTTP port.
 *
 * <p>The agent jar holds only the classes that need no Jakarta API (Raft core, storage, transport,
 * state machine, node, and this class) and their libraries; it is on the JVM's class path, so the
 * web application, which asks its parent class loaders first, sees the same classes and the same
 * running node. Without the agent (another server such as WildFly, a test deployment, or
 * {@code -Draftkv.early.start=false}) {@link #started()} is empty and the deployment starts the node
 * as before. A node that joins a cluster ({@code raftkv.join}) is started by the deployment too: its
 * join asks the cluster over HTTP with the JSON API of the platform.
 *
 * <p>Configuration comes from system properties and the environment, looked up the way MicroProfile
 * Config maps {@code raftkv.x.y} to {@code RAFTKV_X_Y}; the deployment's other configuration sources
 * (none are shipped) are not seen this early.
 */
public final class EarlyStart {
  /** {@code false} leaves starting the node to the deployment. */
  public static final String ENABLED = "raftkv.early.start";
  private static final Logger LOG = Logger.getLogger(EarlyStart.class.getName());
  private static volatile CompletableFuture<NodeAssembly> node;
  /** The early key API (docs/operations.md, "Early HTTP") until the deployment adopts the node. */
  private static volatile EarlyHttp http;

  private EarlyStart() {}

  /** The agent's entry point: runs before Payara Micro's main. */
  public static void premain(String args, Instrumentation instrumentation) {
    begin(EarlyStart::systemOrEnvironment);
  }

  /** Starts the node on a thread of its own, unless disabled or the node joins a cluster. */
  static synchronized void begin(Function<String, Optional<String>> lookup) {
    if (node != null) return;
    if (!lookup.apply(ENABLED).map(Boolean::parseBoolean).orElse(true)) return;
    if (lookup.apply(ClusterJoin.JOIN).filter(s -> !s.isBlank()).isPresent()) return;
    CompletableFuture<NodeAssembly> starting = new CompletableFuture<>();
    node = starting;
    Thread t = new Thread(() -> start(lookup, starting), "raftkv-early-start");
    t.setDaemon(true);
    t.start();
  }

  private static void start(Function<String, Optional<String>> lookup, CompletableFuture<NodeAssembly> starting) {
    long begun = System.nanoTime();
    try {
      NodeConfig config = NodeConfig.fromLookup(lookup);
      NodeAssembly started = NodeAssembly.start(config, WatchSettings.fromLookup(lookup));
      started.loop().onFatal(t -> FatalExit.now("raft loop of node " + config.nodeId() + " failed", t));
      LOG.info(String.format(Locale.ROOT, "raftkv node %d in Raft before the deployment (%d ms after the agent began)",
          config.nodeId(), (System.nanoTime() - begun) / 1_000_000));
      http = EarlyHttp.startIfConfigured(started.service(), lookup).orElse(null);
      starting.complete(started);
    } catch (Throwable e) {
      starting.completeExceptionally(e);
      FatalExit.now("raftkv node failed to start", e);
    }
  }

  /** The node this agent is starting or started; empty when the deployment must start it. */
  public static Optional<CompletableFuture<NodeAssembly>> started() {
    return Optional.ofNullable(node);
  }

  /**
   * Closes the early HTTP API, if one runs: the deployment calls this when it adopts the node, before
   * the container opens its own listener on the same port. Idempotent.
   */
  public static synchronized void closeEarlyHttp() {
    EarlyHttp open = http;
    http = null;
    if (open != null) open.close();
  }

  /** MicroProfile Config's default order for what exists this early: system property, then environment. */
  static Optional<String> systemOrEnvironment(String key) {
    String value = System.getProperty(key);
    if (value == null) value = System.getenv(key);
    if (value == null) value = System.getenv(key.replaceAll("[^A-Za-z0-9_]", "_"));
    if (value == null) value = System.getenv(key.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase(Locale.ROOT));
    return Optional.ofNullable(value);
  }
}
