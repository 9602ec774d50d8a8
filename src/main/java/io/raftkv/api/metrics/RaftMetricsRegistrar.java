package io.raftkv.api.metrics;

import io.raftkv.kv.KvService;
import io.raftkv.node.metrics.NodeMetrics;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Registers the node's Raft gauges ({@link RaftGauges}) in the application registry when the
 * application starts, and keeps the per-peer gauges in line with the leader's followers once a second.
 * Units are part of the names (seconds, bytes, entries), so the gauges are registered without a
 * MicroProfile unit: the exporter would otherwise append one more suffix.
 *
 * <p>Not a CDI bean: {@link MetricsSupport} starts it when the server has MicroProfile Metrics.
 */
public class RaftMetricsRegistrar {
  private static final Logger LOG = Logger.getLogger(RaftMetricsRegistrar.class.getName());
  static final long PEER_SYNC_MILLIS = 1000;

  private final MetricRegistry registry;
  private final NodeMetrics node;
  private final KvService kv;

  private ScheduledExecutorService timer;

  RaftMetricsRegistrar(MetricRegistry registry, NodeMetrics node, KvService kv) {
    this.registry = registry;
    this.node = node;
    this.kv = kv;
  }

  /** Over the container's application registry; {@link #stop} when the application stops. */
  static RaftMetricsRegistrar startInContainer(Instance<Object> container, NodeMetrics node, KvService kv) {
    RaftMetricsRegistrar registrar = new RaftMetricsRegistrar(container.select(MetricRegistry.class).get(), node, kv);
    registrar.start();
    return registrar;
  }

  synchronized void start() {
    if (timer != null) return;
    NodeMetrics m = node;
    for (RaftGauges.Gauge g : RaftGauges.node(m, this::dataBytes)) register(g);
    PeerGauges peers = new PeerGauges(peer -> RaftGauges.peer(m, peer).forEach(this::register), this::unregisterPeer);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "raftkv-metrics-peers");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> syncQuietly(peers, m), 0, PEER_SYNC_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void syncQuietly(PeerGauges peers, NodeMetrics m) {
    try {
      peers.sync(m.peers().keySet());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not update the per-peer replication gauges", e); // next round retries
    }
  }

  private long dataBytes() {
    try {
      var local = kv.cluster().local();
      return local == null ? -1 : local.dataBytes();
    } catch (RuntimeException e) {
      return -1; // node starting or stopping
    }
  }

  private void register(RaftGauges.Gauge g) {
    Metadata metadata = Metadata.builder().withName(g.name()).withDescription(g.help())
        .withUnit(MetricUnits.NONE).build();
    registry.gauge(metadata, g.value(), tags(g));
  }

  private void unregisterPeer(long peer) {
    for (RaftGauges.Gauge g : RaftGauges.peer(node, peer)) registry.remove(new MetricID(g.name(), tags(g)));
  }

  private static Tag[] tags(RaftGauges.Gauge g) {
    List<Tag> tags = g.labels().entrySet().stream().map(e -> new Tag(e.getKey(), e.getValue())).toList();
    return tags.toArray(new Tag[0]);
  }

  synchronized void stop() {
    if (timer != null) timer.shutdownNow();
    timer = null;
  }
}
