package io.raftkv.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestGuardFilterTest {

  @Test
  void findsThePercentThatIsNotFollowedByTwoHexDigits() {
    assertThat(RequestGuardFilter.brokenEscapeAt("x=%")).isEqualTo(2);
    assertThat(RequestGuardFilter.brokenEscapeAt("consistency=%ZZ")).isEqualTo(12);
    assertThat(RequestGuardFilter.brokenEscapeAt("a=%2")).isEqualTo(2);
    assertThat(RequestGuardFilter.brokenEscapeAt("a=%41%%")).isEqualTo(5);
  }

  @Test
  void wellFormedEscapesPass() {
    assertThat(RequestGuardFilter.brokenEscapeAt("consistency=%ED%A0%80&x=%25")).isEqualTo(-1);
    assertThat(RequestGuardFilter.brokenEscapeAt("")).isEqualTo(-1);
  }
}
