package io.raftkv.api.metrics;

import jakarta.enterprise.inject.Instance;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * API metrics in the application registry ({@code /metrics?scope=application}): a timer
 * {@code raftkv.api.request} per operation covering the whole async request, and a counter
 * {@code raftkv.api.response} per operation and status.
 *
 * <p>The timers and counters are looked up once and kept: a registry lookup builds a MetricID (tags
 * sorted into a new map) and searches the registry, which is several allocations and a lock-free map
 * walk per request for a result that never changes. Both caches are bounded by the operations and
 * statuses the API has (a few dozen).
 *
 * <p>Not a CDI bean itself: {@link MetricsSupport} makes one only when the server has MicroProfile
 * Metrics (Payara does, WildFly 38 does not), so that no bean of the WAR names a missing type.
 */
public class MicroProfileRequestMetrics implements RequestMetrics {

  static final String TIMER = "raftkv.api.request";
  static final String COUNTER = "raftkv.api.response";
  /**
   * The timer's unit said outright: with none, Payara 6 printed the quantiles, mean and max of
   * {@code raftkv_api_request_seconds} in nanoseconds (and only the sum in seconds).
   */
  static final Metadata TIMER_METADATA = Metadata.builder().withName(TIMER).withUnit(MetricUnits.NANOSECONDS).build();

  private final MetricRegistry registry;

  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ConcurrentMap<Integer, Counter>> counters = new ConcurrentHashMap<>();

  MicroProfileRequestMetrics(MetricRegistry registry) {
    this.registry = registry;
  }

  /** Over the container's application registry (what {@code @Inject MetricRegistry} gives). */
  static RequestMetrics fromContainer(Instance<Object> container) {
    return new MicroProfileRequestMetrics(container.select(MetricRegistry.class).get());
  }

  @Override
  public Sample start(String operation) {
    Timer.Context context = timers.computeIfAbsent(operation, op -> registry.timer(TIMER_METADATA, new Tag("op", op))).time();
    ConcurrentMap<Integer, Counter> byStatus = counters.computeIfAbsent(operation, op -> new ConcurrentHashMap<>());
    return status -> {
      context.stop();
      byStatus.computeIfAbsent(status, s ->
          registry.counter(COUNTER, new Tag("op", operation), new Tag("status", Integer.toString(s)))).inc();
    };
  }
}
