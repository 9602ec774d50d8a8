package io.raftkv.boot;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Liveness {@code raftkv-loop}: UP while the Raft loop thread runs; DOWN (with the cause) once it died. */
@Liveness
@ApplicationScoped
public class LoopLiveness implements HealthCheck {

  @Inject
  NodeLifecycle lifecycle;

  @Override
  public HealthCheckResponse call() {
    return HealthChecks.loopLiveness(lifecycle.loop());
  }
}
