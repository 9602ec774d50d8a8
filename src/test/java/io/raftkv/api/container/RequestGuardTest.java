package io.raftkv.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGuardTest {

  @Test
  void findsThePercentThatIsNotFollowedByTwoHexDigits() {
    assertThat(RequestGuard.brokenEscapeAt("x=%")).isEqualTo(2);
    assertThat(RequestGuard.brokenEscapeAt("consistency=%ZZ")).isEqualTo(12);
    assertThat(RequestGuard.brokenEscapeAt("a=%2")).isEqualTo(2);
    assertThat(RequestGuard.brokenEscapeAt("a=%41%%")).isEqualTo(5);
  }

  @Test
  void wellFormedEscapesPass() {
    assertThat(RequestGuard.brokenEscapeAt("consistency=%ED%A0%80&x=%25")).isEqualTo(-1);
    assertThat(RequestGuard.brokenEscapeAt("")).isEqualTo(-1);
  }
}
