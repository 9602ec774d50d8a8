package io.raftkv.api.metrics;

import io.raftkv.kv.KvService;
import io.raftkv.node.metrics.NodeMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * The node's metrics when the server has MicroProfile Metrics, none when it has not. Payara 6 has
 * MicroProfile Metrics 5 ({@code /metrics}); WildFly 38 has no MicroProfile Metrics at all (it offers
 * Micrometer and OpenTelemetry instead, docs/operations.md "WildFly"). A bean that injected
 * {@code MetricRegistry} would fail the whole deployment there, so no bean names that type: this one
 * looks for the API's class first and only then lets {@link MicroProfileRequestMetrics} and
 * {@link RaftMetricsRegistrar} ask the container for the registry.
 */
@ApplicationScoped
public class MetricsSupport {
  private static final Logger LOG = Logger.getLogger(MetricsSupport.class.getName());
  static final String REGISTRY_CLASS = "org.eclipse.microprofile.metrics.MetricRegistry";

  /**
   * Where the registry comes from: Payara's producer of {@code MetricRegistry} reads the injection
   * point's annotations, which a lookup through an injected {@code Instance} has and
   * {@code CDI.current()} has not (a NullPointerException in Payara's producer failed the deployment).
   */
  @Inject
  Instance<Object> container;

  @Inject
  NodeMetrics node;

  @Inject
  KvService kv;

  private RaftMetricsRegistrar registrar;

  /** True when the deployment sees MicroProfile Metrics' API (the server provides it). */
  static boolean available(ClassLoader loader) {
    try {
      Class.forName(REGISTRY_CLASS, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean available() {
    return available(MetricsSupport.class.getClassLoader());
  }

  @Produces
  @ApplicationScoped
  RequestMetrics requestMetrics() {
    return available() ? MicroProfileRequestMetrics.fromContainer(container) : RequestMetrics.NONE;
  }

  synchronized void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
    if (registrar != null) return;
    if (available()) {
      registrar = RaftMetricsRegistrar.startInContainer(container, node, kv);
    } else {
      LOG.warning("this server has no MicroProfile Metrics (" + REGISTRY_CLASS + "): the node runs without "
          + "its raftkv_* metrics (docs/operations.md, \"WildFly\")");
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (registrar != null) registrar.stop();
    registrar = null;
  }
}
