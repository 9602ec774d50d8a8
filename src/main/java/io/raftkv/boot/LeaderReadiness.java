package io.raftkv.boot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness {@code raftkv-leader}: UP when the loop runs and a leader is known (writes can succeed). */
@Readiness
@ApplicationScoped
public class LeaderReadiness implements HealthCheck {

  @Inject
  NodeLifecycle lifecycle;

  @Override
  public HealthCheckResponse call() {
    return HealthChecks.leaderReadiness(lifecycle.loop());
  }
}
