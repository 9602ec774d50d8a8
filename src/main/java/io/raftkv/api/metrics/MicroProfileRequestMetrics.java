package io.raftkv.api.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * API metrics in the application registry ({@code /metrics?scope=application}): a timer
 * {@code raftkv.api.request} per operation covering the whole async request, and a counter
 * {@code raftkv.api.response} per operation and status.
 */
@ApplicationScoped
public class MicroProfileRequestMetrics implements RequestMetrics {

  static final String TIMER = "raftkv.api.request";
  static final String COUNTER = "raftkv.api.response";

  @Inject
  MetricRegistry registry;

  @Override
  public Sample start(String operation) {
    Timer.Context context = registry.timer(TIMER, new Tag("op", operation)).time();
    return status -> {
      context.stop();
      registry.counter(COUNTER, new Tag("op", operation), new Tag("status", Integer.toString(status))).inc();
    };
  }
}
