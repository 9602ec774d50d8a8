package io.raftkv.boot;

import io.raftkv.node.RaftLoop;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** The health rules, separate from the CDI beans so they are testable without a container. */
final class HealthChecks {
  static final String LIVENESS = "raftkv-loop";
  static final String READINESS = "raftkv-leader";

  private HealthChecks() {}

  static HealthCheckResponse loopLiveness(RaftLoop loop) {
    HealthCheckResponseBuilder b = HealthCheckResponse.named(LIVENESS);
    if (loop == null) return b.down().withData("cause", "node not started").build();
    if (!loop.isRunning()) {
      return b.down().withData("cause", loop.failure() == null ? "stopped" : String.valueOf(loop.failure())).build();
    }
    return b.up().withData("node", loop.nodeId()).build();
  }

  static HealthCheckResponse leaderReadiness(RaftLoop loop) {
    HealthCheckResponseBuilder b = HealthCheckResponse.named(READINESS);
    if (loop == null || !loop.isRunning()) return b.down().withData("cause", "raft loop not running").build();
    String diskLimit = loop.diskLimitReached();
    if (diskLimit != null) return b.down().withData("cause", "waiting for disk space: " + diskLimit).build();
    long leader = loop.leaderId();
    if (leader == 0) return b.down().withData("cause", "no leader known").build();
    return b.up().withData("node", loop.nodeId()).withData("leader", leader).build();
  }
}
