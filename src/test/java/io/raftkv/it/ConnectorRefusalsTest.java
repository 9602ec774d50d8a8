package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fuzz test's model of what Payara's connector refuses before the store (ConnectorRefusals). */
class ConnectorRefusalsTest {

  @Test
  void pathsThatAreNotUtf8OrHoldNulOrBackslashAreTheConnectors() {
    assertThat(ConnectorRefusals.refusesTarget("/kv/%C0%AF")).isTrue();      // overlong '/'
    assertThat(ConnectorRefusals.refusesTarget("/kv/%ED%A0%80")).isTrue();   // a surrogate
    assertThat(ConnectorRefusals.refusesTarget("/health%E2%82")).isTrue();   // cut sequence
    assertThat(ConnectorRefusals.refusesTarget("/kv/%00")).isTrue();
    assertThat(ConnectorRefusals.refusesTarget("/kv/%5C")).isTrue();
  }

  @Test
  void pathsWithDotSegmentsAreLeftToWhicheverLayerNormalizesThem() {
    assertThat(ConnectorRefusals.hasDotSegment("/kv/../../x")).isTrue();
    assertThat(ConnectorRefusals.hasDotSegment("/KV/...?=")).isTrue();
    assertThat(ConnectorRefusals.hasDotSegment("/kv/a.b?x=/.")).isFalse();
    // found by the 100,000-request campaign (seed 20261129): an encoded slash before the dots
    assertThat(ConnectorRefusals.hasDotSegment("/kv/%2F....?&&")).isTrue();
    assertThat(ConnectorRefusals.hasDotSegment("/cluster/leader%E2%82%2F..?&&")).isTrue();
    assertThat(ConnectorRefusals.hasDotSegment("/kv/a%2e%2E")).isFalse();
    assertThat(ConnectorRefusals.hasDotSegment("/kv/%2e%2E")).isTrue();
  }

  @Test
  void everythingElseReachesTheStore() {
    assertThat(ConnectorRefusals.refusesTarget("/kv/%F0%9F%98%80?consistency=%ED%A0%80")).isFalse();
    assertThat(ConnectorRefusals.refusesTarget("/kv/%C3%A9")).isFalse();
    assertThat(ConnectorRefusals.refusesTarget("/kv/a%2Fb")).isFalse(); // an encoded slash reaches the store
  }
}
