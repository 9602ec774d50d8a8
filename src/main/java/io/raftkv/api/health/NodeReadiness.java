package io.raftkv.api.health;

import io.raftkv.kv.ClusterView;
import io.raftkv.kv.KvService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@code raftkv-api}: UP once the node is running and serving, with or without a known
 * leader (without one, writes answer 503). Its presence in {@code /health/ready} is also how
 * bin/raftkv-node tells a deployed node from a Payara Micro whose deployment failed (that one
 * reports UP with no checks at all).
 */
@Readiness
@ApplicationScoped
public class NodeReadiness implements HealthCheck {

  static final String NAME = "raftkv-api";

  @Inject
  KvService kv;

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME);
    try {
      ClusterView view = kv.cluster();
      return builder.up()
          .withData("node", view.self())
          .withData("leader", view.leader() == null ? "none" : view.leader().toString())
          .withData("term", view.term())
          .withData("appliedIndex", view.appliedIndex())
          .build();
    } catch (RuntimeException e) {
      return builder.down().withData("cause", String.valueOf(e.getMessage())).build();
    }
  }
}
