package io.raftkv.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * MetricsSupport decides by the deployment's class loader whether the server has MicroProfile Metrics:
 * Payara's does (as the test class path does), WildFly 38's does not (a loader that sees only the JDK
 * stands for it here; WildFlyClusterIT runs the WAR there).
 */
class MetricsSupportTest {

  @Test
  void metricsAreAvailableWhereTheApiIsOnTheClassPath() {
    assertThat(MetricsSupport.available(MetricsSupportTest.class.getClassLoader())).isTrue();
  }

  @Test
  void metricsAreUnavailableWhereTheServerHasNoMicroProfileMetrics() {
    ClassLoader jdkOnly = new ClassLoader(null) { };
    assertThat(MetricsSupport.available(jdkOnly)).isFalse();
  }
}
