package io.raftkv.boot;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.raftkv.kv.KvService;
import io.raftkv.node.NodeConfig;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's key API while the container deploys (docs/operations.md, "Early HTTP"). Once the early
 * start has the node in Raft, this opens the node's HTTP port with the JDK's HTTP server and answers
 * single-key GET, PUT and DELETE with the application's own classes ({@code
 * io.raftkv.api.kv.EarlyKvHandler}); everything else is the store's 503 "node is starting". The
 * deployment closes it ({@link #stop}) when it adopts the node, before the container's listener opens.
 *
 * <p>The handler's classes and JSON-P come from {@value #CLASSPATH} (bin/raftkv-node: the WAR's
 * {@code WEB-INF/classes} and target/early-http-lib), loaded by a class loader of their own whose parent
 * is the JVM's class path: they share the running node's classes but not the container's copies of
 * the Jakarta APIs, which the container loads later on its own. Not started with tokens on ({@code
 * raftkv.auth.enabled}: this server checks none) or without that property.
 */
public final class EarlyHttp implements AutoCloseable {
  /** Path-separated files: a {@code .war} stands for its {@code WEB-INF/classes}, any other for a jar. */
  public static final String CLASSPATH = "raftkv.early.http.classpath";
  static final String HANDLER = "io.raftkv.api.kv.EarlyKvHandler";
  private static final Logger LOG = Logger.getLogger(EarlyHttp.class.getName());
  /** Handler threads only parse and start a call (answers are written by whoever completes it). */
  private static final int THREADS = 4;
  private static final int QUEUE = 256;
  /** How long requests still running at the hand-over get (a write waiting out an election needs ~2 s). */
  private static final int STOP_GRACE_SECONDS = 3;

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private final URLClassLoader loader;

  private EarlyHttp(HttpServer server, ThreadPoolExecutor executor, URLClassLoader loader) {
    this.server = server;
    this.executor = executor;
    this.loader = loader;
  }

  /** Starts the early API when configured for it; a failure only costs the early answers (logged). */
  static Optional<EarlyHttp> startIfConfigured(KvService kv, Function<String, Optional<String>> config) {
    Optional<String> classpath = config.apply(CLASSPATH).filter(s -> !s.isBlank());
    Optional<String> address = config.apply(NodeConfig.HTTP_ADDRESS).filter(s -> !s.isBlank());
    // AuthSettings.ENABLED; the agent's classes may not name the api packages (PackageDependencyTest)
    boolean auth = config.apply("raftkv.auth.enabled").map(Boolean::parseBoolean).orElse(false);
    if (classpath.isEmpty() || address.isEmpty() || auth) return Optional.empty();
    try {
      return Optional.of(start(kv, config, classpath.get(), address.get()));
    } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(Level.WARNING, "no early HTTP API (the API opens with the deployment): " + e, e);
      return Optional.empty();
    }
  }

  static EarlyHttp start(KvService kv, Function<String, Optional<String>> config, String classpath, String address)
      throws IOException, ReflectiveOperationException {
    URLClassLoader loader = new URLClassLoader("raftkv-early-http", urls(classpath), EarlyHttp.class.getClassLoader());
    ThreadPoolExecutor executor = null;
    try {
      HttpHandler handler = (HttpHandler) loader.loadClass(HANDLER).getConstructor(KvService.class, Function.class)
          .newInstance(kv, config);
      HttpServer server = HttpServer.create(socketAddress(address), 128);
      executor = executor(loader);
      server.createContext("/", handler);
      server.setExecutor(executor);
      server.start();
      LOG.info("raftkv early HTTP API on " + address + " until the deployment serves");
      return new EarlyHttp(server, executor, loader);
    } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (executor != null) executor.shutdownNow();
      loader.close();
      throw e;
    }
  }

  /**
   * Closes the port: requests still running get up to {@value #STOP_GRACE_SECONDS} s to be answered (a
   * write cut off here has an unknown outcome for its client, as after a crash). Called once, by {@link
   * EarlyStart#closeEarlyHttp}.
   */
  @Override
  public void close() {
    server.stop(STOP_GRACE_SECONDS);
    executor.shutdown();
    try {
      loader.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the early HTTP class loader", e);
    }
    LOG.info("raftkv early HTTP API closed; the deployment serves from here");
  }

  static URL[] urls(String classpath) throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (entry.isBlank()) continue;
      File file = new File(entry.trim());
      if (!file.exists()) throw new MalformedURLException(CLASSPATH + ": no file " + file);
      URL url = file.toURI().toURL();
      // A URL ending in "/" inside a jar: URLClassLoader reads the classes under that directory.
      urls.add(file.getName().endsWith(".war") ? new URL("jar:" + url + "!/WEB-INF/classes/") : url);
    }
    return urls.toArray(URL[]::new);
  }

  static InetSocketAddress socketAddress(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("raftkv.http.address must be host:port, was " + address);
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  /** Bounded: four threads, 256 queued exchanges; beyond that the accepting thread runs the handler itself. */
  private static ThreadPoolExecutor executor(ClassLoader loader) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "raftkv-early-http-" + count.incrementAndGet());
      t.setDaemon(true);
      t.setContextClassLoader(loader);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
  }
}
