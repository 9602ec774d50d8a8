package io.raftkv.api.container;

import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import io.raftkv.api.error.ErrorTranslator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
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
 *   <li>{@code TRACE}: a servlet's default {@code doTrace} (MicroProfile's {@code /health}) would echo
 *       the request, headers included, back to the client; Jersey's answer differs. Every path
 *       answers a JSON {@code 405} whose {@code Allow} is what the path allows ({@link AllowedMethods}).
 *   <li>{@code OPTIONS}: Jersey answers with a WADL document or a text list, a servlet with an empty
 *       {@code 200} whose Allow offers TRACE. Every path answers {@code 204} with {@code Allow}.
 * </ul>
 * The front filter (io.raftkv.boot.FrontFilter) asks it for every request of a serving node.
 */
public final class RequestGuard {

  private RequestGuard() {}

  /**
   * Answers the request if it is one of the above and returns true; false: pass it on. {@code chain} is
   * the rest of the container's chain, asked which methods the path allows for OPTIONS and TRACE.
   */
  public static boolean answered(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String method = req.getMethod();
    if ("CONNECT".equals(method)) {
      ContainerErrorServlet.write(res, new ApiError(HttpServletResponse.SC_NOT_IMPLEMENTED,
          ErrorBody.of("not implemented", "CONNECT is not supported: this server is not a proxy")));
      return true;
    }
    // Before TRACE and OPTIONS too: their answer asks the chain which methods the path allows, and Jersey
    // fails on a broken query escape there with a 500 (found by ApiFuzzIT: TRACE ...?consistency=%ZZ).
    String query = req.getQueryString();
    int broken = query == null ? -1 : brokenEscapeAt(query);
    if (broken >= 0) {
      ContainerErrorServlet.write(res, new ApiError(HttpServletResponse.SC_BAD_REQUEST, ErrorBody.of("bad request",
          "malformed percent-encoding in the query string at char " + broken)));
      return true;
    }
    if ("TRACE".equals(method) || "OPTIONS".equals(method)) {
      answerFromAllowedMethods(req, res, chain);
      return true;
    }
    return false;
  }

  private static void answerFromAllowedMethods(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    AllowedMethods.Answer allowed = AllowedMethods.ask(req, res, chain);
    if (!allowed.found()) {
      ContainerErrorServlet.write(res, ErrorTranslator.fromHttpStatus(allowed.status(), allowed.allow(), null));
    } else if ("TRACE".equals(req.getMethod())) {
      ContainerErrorServlet.write(res, ErrorTranslator.fromHttpStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
          allowed.allow(), null));
    } else {
      res.setStatus(HttpServletResponse.SC_NO_CONTENT);
      res.setHeader("Allow", allowed.allow());
    }
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
