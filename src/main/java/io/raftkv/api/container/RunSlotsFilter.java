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
import java.util.Map;

/** Runs each request inside one of {@link RunSlots#HTTP}'s slots; 503 + Retry-After when none comes. */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RunSlotsFilter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!enter(RunSlots.HTTP)) {
      ContainerErrorServlet.write(res, overloaded(RunSlots.HTTP));
      return;
    }
    try {
      chain.doFilter(req, res);
    } finally {
      RunSlots.HTTP.leave();
    }
  }

  private static boolean enter(RunSlots slots) {
    try {
      return slots.enter();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static ApiError overloaded(RunSlots slots) {
    return new ApiError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, ErrorBody.of("unavailable",
        "overloaded: no request slot free within " + slots.entryWaitMillis() + " ms"), Map.of("Retry-After", "1"));
  }
}
