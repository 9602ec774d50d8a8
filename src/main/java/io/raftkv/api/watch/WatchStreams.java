package io.raftkv.api.watch;

import io.raftkv.api.watch.WatchParams.Selection;
import io.raftkv.kv.watch.HistoryCompactedException;
import io.raftkv.kv.watch.TooManyWatchersException;
import io.raftkv.kv.watch.WatchHub;
import io.raftkv.kv.watch.Watcher;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node's open watch streams and the threads that serve them: {@code raftkv.watch.delivery.threads}
 * delivery threads (default 2) and one heartbeat timer thread, however many watchers there are. No
 * HTTP request thread stays with a watcher: the resource registers the stream and returns.
 */
@ApplicationScoped
public class WatchStreams {

  @Inject
  WatchHub hub;

  @Inject
  @ConfigProperty(name = "raftkv.watch.heartbeat.ms", defaultValue = "5000")
  long heartbeatMs;

  @Inject
  @ConfigProperty(name = "raftkv.watch.delivery.threads", defaultValue = "2")
  int deliveryThreads;

  @Inject
  @ConfigProperty(name = "raftkv.watch.write.timeout.ms", defaultValue = "10000")
  long writeTimeoutMs;

  private final Set<WatchSession> sessions = ConcurrentHashMap.newKeySet();
  private ThreadPoolExecutor delivery;
  private ScheduledExecutorService heartbeats;

  @PostConstruct
  void init() {
    if (heartbeatMs < 100 || deliveryThreads < 1 || deliveryThreads > 64 || writeTimeoutMs < 1) {
      throw new IllegalArgumentException("raftkv.watch.heartbeat.ms must be >= 100, raftkv.watch.delivery.threads"
          + " in 1..64 and raftkv.watch.write.timeout.ms >= 1");
    }
    // At most one queued drain per session (WatchSession.signal), and sessions <= max watchers.
    delivery = new ThreadPoolExecutor(deliveryThreads, deliveryThreads, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(hub.limits().maxWatchers() + 1), daemonThreads("raftkv-watch-delivery-"));
    heartbeats = Executors.newSingleThreadScheduledExecutor(daemonThreads("raftkv-watch-heartbeat-"));
    heartbeats.scheduleAtFixedRate(() -> sessions.forEach(WatchSession::heartbeat),
        heartbeatMs, heartbeatMs, TimeUnit.MILLISECONDS);
  }

  long writeTimeoutMs() {
    return writeTimeoutMs;
  }

  /**
   * Starts a stream of the selected changes to {@code out}.
   *
   * @throws HistoryCompactedException the start revision is older than this node keeps (410)
   * @throws TooManyWatchersException the node serves its maximum number of watchers (503)
   */
  void open(Selection selection, EventSink out) throws HistoryCompactedException, TooManyWatchersException {
    Watcher watcher = selection.afterRevision().isPresent()
        ? hub.register(selection.afterRevision().getAsLong(), selection.keys())
        : hub.registerFromNow(selection.keys());
    WatchSession session = new WatchSession(watcher, out, delivery, closed -> {
      hub.unregister(watcher);
      sessions.remove(closed);
    });
    sessions.add(session);
    session.start();
  }

  int openStreams() {
    return sessions.size();
  }

  /** Ends every stream so clients reconnect elsewhere, then stops the threads. */
  @PreDestroy
  void stop() {
    heartbeats.shutdownNow();
    List.copyOf(sessions).forEach(WatchSession::stop);
    delivery.shutdown();
    try {
      delivery.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List.copyOf(sessions).forEach(WatchSession::close);
    delivery.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
