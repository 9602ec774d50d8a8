package io.raftkv.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AllowedMethodsTest {

  @Test
  void traceIsNeverOfferedSinceEveryPathRefusesIt() {
    // HttpServlet.doOptions (MicroProfile's /health) always lists TRACE; Jersey lists without spaces.
    assertThat(AllowedMethods.withoutTrace("GET, HEAD, POST, TRACE, OPTIONS")).isEqualTo("GET, HEAD, POST, OPTIONS");
    assertThat(AllowedMethods.withoutTrace("HEAD,DELETE,GET,OPTIONS,PUT")).isEqualTo("HEAD, DELETE, GET, OPTIONS, PUT");
    assertThat(AllowedMethods.withoutTrace("trace")).isEmpty();
    assertThat(AllowedMethods.withoutTrace(null)).isNull();
  }

  @Test
  void onlyA2xxAnswerMeansThePathExists() {
    assertThat(new AllowedMethods.Answer(204, "GET").found()).isTrue();
    assertThat(new AllowedMethods.Answer(200, "GET").found()).isTrue();
    assertThat(new AllowedMethods.Answer(404, null).found()).isFalse();
    assertThat(new AllowedMethods.Answer(405, "GET").found()).isFalse();
  }
}
