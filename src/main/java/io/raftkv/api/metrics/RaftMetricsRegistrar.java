package io.raftkv.api.metrics;

import io.raftkv.kv.KvService;
import io.raftkv.node.metrics.NodeMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
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
 */
@ApplicationScoped
public class RaftMetricsRegistrar {
  private static final Logger LOG = Logger.getLogger(RaftMetricsRegistrar.class.getName());
  static final long PEER_SYNC_MILLIS = 1000;

  @Inject
  MetricRegistry registry;

  @Inject
  NodeMetrics node;

  @Inject
  KvService kv;

  private ScheduledExecutorService timer;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    start();
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

  @PreDestroy
  synchronized void stop() {
    if (timer != null) timer.shutdownNow();
    timer = null;
  }
}
