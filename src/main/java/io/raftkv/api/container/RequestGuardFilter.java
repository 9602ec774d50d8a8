package io.raftkv.api.container;

import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers, before JAX-RS or MicroProfile's servlets see them, the requests that would otherwise hang
 * or fail inside the container:
 * <ul>
 *   <li>{@code CONNECT}: Grizzly takes one without a Content-Length for the start of a tunnel, so
 *       anything that reads its body (Jersey reads form parameters for a form Content-Type) waits
 *       until the client closes. This is not a proxy: {@code 501} at once, never reading the body.
 *   <li>a query string with a broken percent-escape ({@code ?x=%}): Jersey's form-parameter filter
 *       fails on it with an exception the container turns into a 500.
 * </ul>
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestGuardFilter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if ("CONNECT".equals(req.getMethod())) {
      ContainerErrorServlet.write(res, new ApiError(HttpServletResponse.SC_NOT_IMPLEMENTED,
          ErrorBody.of("not implemented", "CONNECT is not supported: this server is not a proxy")));
      return;
    }
    String query = req.getQueryString();
    int broken = query == null ? -1 : brokenEscapeAt(query);
    if (broken >= 0) {
      ContainerErrorServlet.write(res, new ApiError(HttpServletResponse.SC_BAD_REQUEST, ErrorBody.of("bad request",
          "malformed percent-encoding in the query string at char " + broken)));
      return;
    }
    chain.doFilter(req, res);
  }

  /** Index of the first '%' not followed by two hex digits, or -1. */
  static int brokenEscapeAt(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      if (raw.charAt(i) == '%') {
        if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
            || Character.digit(raw.charAt(i + 2), 16) < 0) {
          return i;
        }
        i += 2;
      }
    }
    return -1;
  }
}
