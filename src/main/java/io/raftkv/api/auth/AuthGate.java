package io.raftkv.api.auth;

import io.raftkv.api.container.ContainerErrorServlet;
import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * Bearer-token authentication and roles for the whole API, when {@code raftkv.auth.enabled=true}
 * (docs/security.md); with the default (false) every request passes untouched, as before.
 *
 * <p>Run by the front filter (io.raftkv.boot.FrontFilter) rather than by MicroProfile JWT's
 * {@code @LoginConfig}: that annotation is fixed at build time, so it could not be off by default and on
 * by configuration in the same WAR. The token check is jose4j ({@link TokenVerifier}); which role a
 * request needs is {@link AccessRules}, whether the caller has it {@link Scopes}, both pure.
 */
public final class AuthGate {
  private static final Logger LOG = Logger.getLogger(AuthGate.class.getName());

  private final boolean enabled;
  private final boolean metricsOpen;
  private final TokenVerifier verifier;
  private final String misconfigured;

  private AuthGate(boolean enabled, boolean metricsOpen, TokenVerifier verifier, String misconfigured) {
    this.enabled = enabled;
    this.metricsOpen = metricsOpen;
    this.verifier = verifier;
    this.misconfigured = misconfigured;
  }

  /** The gate of a node where authentication is off (the default): every request passes untouched. */
  public static AuthGate off() {
    return new AuthGate(false, true, null, null);
  }

  /** The gate {@code raftkv.auth.*} asks for; keys that cannot be used fail closed (503 naming the cause). */
  public static AuthGate from(Config config) {
    AuthSettings settings = AuthSettings.from(config);
    if (!settings.enabled()) return off();
    try {
      if (settings.publicKeyLocation() == null) {
        throw new IllegalStateException(AuthSettings.PUBLIC_KEY + " is not set");
      }
      TokenVerifier verifier =
          new TokenVerifier(TokenVerifier.readPublicKeys(settings.publicKeyLocation()), settings.issuer());
      LOG.info("authentication on: bearer tokens verified with " + settings.publicKeyLocation()
          + (settings.issuer() == null ? "" : ", issuer " + settings.issuer()));
      return new AuthGate(true, settings.metricsOpen(), verifier, null);
    } catch (Exception e) {
      // Fail closed: every request but the open ones gets a 503 naming the cause.
      String misconfigured = AuthSettings.ENABLED + "=true but the token keys cannot be used: " + e.getMessage();
      LOG.log(Level.SEVERE, misconfigured);
      return new AuthGate(true, settings.metricsOpen(), null, misconfigured);
    }
  }

  /** Passes the request on to {@code chain} if it may pass, else answers 400, 401, 403 or 503 itself. */
  public void filter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!enabled) {
      chain.doFilter(req, res);
      return;
    }
    String path = RequestPaths.decodedPath(req.getRequestURI(), req.getContextPath());
    if (path == null) {
      refuse(res, 400, "bad request", "a path with '.' or '..' segments or a broken escape is refused while "
          + "authentication is on", Map.of());
      return;
    }
    Requirement need = AccessRules.of(req.getMethod(), path, req::getParameter, metricsOpen);
    if (need.open()) {
      chain.doFilter(req, res);
      return;
    }
    String remote = req.getRemoteAddr();
    if (misconfigured != null) {
      refuse(res, 503, "unavailable", misconfigured, Map.of());
      return;
    }
    Caller caller;
    try {
      caller = verifier.verify(bearerToken(req));
    } catch (TokenVerifier.InvalidTokenException e) {
      if (need.admin()) AuditLog.record(null, need.action(), remote, "401 " + e.getMessage());
      refuse(res, 401, "unauthorized", e.getMessage(), Map.of("WWW-Authenticate", "Bearer realm=\"raftkv\""));
      return;
    }
    String denial = Scopes.denial(need, caller);
    if (denial != null) {
      if (need.admin()) AuditLog.record(caller.subject(), need.action(), remote, "403 " + denial);
      refuse(res, 403, "forbidden", denial, Map.of());
      return;
    }
    chain.doFilter(req, res);
    if (need.admin()) auditOutcome(req, res, caller.subject(), need.action(), remote);
  }

  private static String bearerToken(HttpServletRequest req) throws TokenVerifier.InvalidTokenException {
    String header = req.getHeader("Authorization");
    if (header == null) {
      throw new TokenVerifier.InvalidTokenException("no bearer token: send 'Authorization: Bearer <token>'");
    }
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new TokenVerifier.InvalidTokenException("the Authorization header is not 'Bearer <token>'");
    }
    return header.substring(7).strip();
  }

  /** An admin request answered asynchronously (membership, leader transfer) is logged when it completes. */
  private static void auditOutcome(HttpServletRequest req, HttpServletResponse res, String subject, String action,
      String remote) {
    if (!req.isAsyncStarted()) {
      AuditLog.record(subject, action, remote, String.valueOf(res.getStatus()));
      return;
    }
    req.getAsyncContext().addListener(new AsyncListener() {
      @Override
      public void onComplete(AsyncEvent event) {
        AuditLog.record(subject, action, remote, String.valueOf(res.getStatus()));
      }

      @Override
      public void onTimeout(AsyncEvent event) {
        AuditLog.record(subject, action, remote, "timeout");
      }

      @Override
      public void onError(AsyncEvent event) {
        AuditLog.record(subject, action, remote, "error " + event.getThrowable());
      }

      @Override
      public void onStartAsync(AsyncEvent event) {
        // the listener stays registered for a restarted cycle
      }
    });
  }

  private static void refuse(HttpServletResponse res, int status, String error, String detail,
      Map<String, String> headers) throws IOException {
    ContainerErrorServlet.write(res, new ApiError(status, ErrorBody.of(error, detail), headers));
  }
}
