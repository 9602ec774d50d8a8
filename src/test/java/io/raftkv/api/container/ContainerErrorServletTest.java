package io.raftkv.api.container;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

/** Which container failures are a client's oversized form body (413) rather than a bug (500). */
class ContainerErrorServletTest {

  @Test
  void grizzlysPostTooLargeIsRecognisedByMessageOrByWhereItWasThrown() {
    assertThat(ContainerErrorServlet.isFormTooLarge(new IllegalStateException("GRIZZLY0205: Post too large"))).isTrue();
    assertThat(ContainerErrorServlet.isFormTooLarge(
        new ServletException(new IllegalStateException("GRIZZLY0205: Post too large")))).isTrue();
    IllegalStateException localized = new IllegalStateException("Anfrage zu groß");
    localized.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("org.glassfish.grizzly.http.server.Request", "parseRequestParameters", "Request.java", 1906)});
    assertThat(ContainerErrorServlet.isFormTooLarge(localized)).isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(ContainerErrorServlet.isFormTooLarge(null)).isFalse();
    assertThat(ContainerErrorServlet.isFormTooLarge("Post too large")).isFalse();
    assertThat(ContainerErrorServlet.isFormTooLarge(new IllegalStateException("something else"))).isFalse();
    assertThat(ContainerErrorServlet.isFormTooLarge(new IllegalArgumentException("Post too large"))).isFalse();
  }
}
