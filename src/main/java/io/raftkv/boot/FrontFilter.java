package io.raftkv.boot;

import io.raftkv.api.auth.AuthGate;
import io.raftkv.api.container.ContainerErrorServlet;
import io.raftkv.api.container.RequestGuard;
import io.raftkv.api.container.RunSlots;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The WAR's one servlet filter. Every request passes, in this order:
 * <ol>
 *   <li>{@link ServingGate}: a node that is starting or stopping answers 503 and runs nothing else;
 *   <li>{@link RequestGuard}: what the container would hang or fail on (CONNECT, a broken query escape)
 *       and what every path answers alike (OPTIONS, TRACE), before anything reads a body or a token;
 *   <li>{@link RunSlots#HTTP}: a run slot when slots are on (503 + Retry-After when none comes), so the
 *       token check below already counts as running work;
 *   <li>{@link AuthGate}: the bearer token and the role, when authentication is on.
 * </ol>
 *
 * <p>One filter rather than four: Payara wraps every filter step in a component invocation
 * (J2EEInstanceListener's before and after events: invocation manager, realm, transaction manager),
 * which cost ~8% of the leader's CPU samples under GET load for four steps that only passed a plain key
 * request on (docs/benchmarks.md, twelfth session). The order is also no longer left to the container,
 * which orders annotated filters as it likes (docs/architecture.md, "The request path").
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class FrontFilter extends HttpFilter {
  private static final long serialVersionUID = 1L;

  private transient AuthGate auth;

  public FrontFilter() {}

  /** A filter with the given token check (tests); the container's gets it from configuration in init. */
  FrontFilter(AuthGate auth) {
    this.auth = auth;
  }

  @Override
  public void init() {
    if (auth == null) auth = AuthGate.from(ConfigProvider.getConfig());
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String refusal = ServingGate.refusal();
    if (refusal != null) {
      ServingGate.answerUnavailable(res, refusal);
      return;
    }
    try {
      passChecked(req, res, chain);
    } catch (IOException | ServletException | RuntimeException e) {
      // Shutdown began while the request was inside: answer like a refused one if still possible.
      if (!ServingGate.isStopping() || res.isCommitted()) throw e;
      res.reset();
      ServingGate.answerUnavailable(res, ServingGate.refusal());
    }
  }

  private void passChecked(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (RequestGuard.answered(req, res, chain)) return;
    if (!RunSlots.HTTP.tryEnter()) {
      ContainerErrorServlet.write(res, RunSlots.HTTP.overloaded());
      return;
    }
    try {
      auth.filter(req, res, chain);
    } finally {
      RunSlots.HTTP.leave();
    }
  }
}
