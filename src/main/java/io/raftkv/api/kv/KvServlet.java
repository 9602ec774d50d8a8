package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.RequestRunner;
import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.error.ErrorBody;
import io.raftkv.api.error.ErrorTranslator;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvService;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers the common single-key requests of {@code /kv/{key}} (GET, PUT, DELETE; see
 * {@link KvFastPathRules}) without JAX-RS: the same validation and calls ({@link KvCalls}), the same
 * bodies ({@link KvJson}), the same error shapes ({@link ErrorTranslator}), behind the same servlet
 * filters (serving gate, request guard, authentication, run slots). Every other request under
 * {@code /kv} is forwarded to the JAX-RS servlet as it came.
 *
 * <p>Why: whole-stack profiles of a lease read (docs/benchmarks.md, seventh session) had Jersey and HK2
 * at ~63% of a request thread's CPU and the resource method at 8%. docs/api.md "The /kv fast path"
 * has the decision and its measurements; {@code raftkv.http.fast.path=false} turns it off.
 */
public class KvServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(KvServlet.class.getName());

  /** Init parameter: the name of the servlet that serves the JAX-RS application at "/*". */
  static final String JAX_RS_SERVLET = "raftkv.jaxrs.servlet";

  /**
   * A safety net only: every call completes by itself within the node's request timeout. A request
   * still open after this long is answered as if the node were unavailable (a write: outcome unknown).
   */
  private static final long ASYNC_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(Long.getLong("raftkv.http.async.timeout.s", 120));

  @Inject
  private transient KvService kv;
  @Inject
  private transient ApiLimits limits;
  @Inject
  private transient RequestMetrics metrics;

  private transient KvCalls calls;
  private transient RequestRunner runner;
  private String jaxRsServlet;

  @Override
  public void init() {
    calls = new KvCalls(kv, limits);
    runner = new RequestRunner(metrics);
    jaxRsServlet = getInitParameter(JAX_RS_SERVLET);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException, ServletException {
    KvFastPathRules.Route route = KvFastPathRules.route(req.getMethod(), req.getRequestURI(), req.getContextPath(),
        req.getQueryString(), req.getHeader("Accept"), req.getContentType());
    if (route == null) {
      forwardToJaxRs(req, res);
      return;
    }
    String key = route.key();
    switch (route.op()) {
      case GET -> answer(req, res, "get", () -> calls.get(key, route.consistency()), KvJson::entry);
      case PUT -> answer(req, res, "put", () -> calls.put(key, req.getHeader(IdempotencyKeyHeader.NAME),
          req.getHeader("Content-Length"), body(req)), KvJson::entry);
      case DELETE -> answer(req, res, "delete", () -> calls.delete(key, req.getHeader(IdempotencyKeyHeader.NAME)),
          KvJson::deleted);
    }
  }

  private static InputStream body(HttpServletRequest req) {
    try {
      return req.getInputStream();
    } catch (IOException e) {
      throw ApiException.badRequest("incomplete body", "the request body could not be read: " + e.getMessage());
    }
  }

  /**
   * As {@link RequestRunner#answer}: written on the request thread when the call finishes within the
   * runner's short wait, else the request goes asynchronous and is written by whoever completes it.
   */
  private <T> void answer(HttpServletRequest req, HttpServletResponse res, String operation,
      Supplier<? extends CompletionStage<T>> call, Function<T, byte[]> json) throws IOException {
    CompletableFuture<T> result = runner.runBriefly(operation, call);
    if (result.isDone()) {
      write(res, result, json);
      return;
    }
    AsyncContext async = req.startAsync();
    async.setTimeout(ASYNC_TIMEOUT_MS);
    AtomicBoolean answered = new AtomicBoolean();
    async.addListener(new TimeoutAnswer(res, answered, operation));
    result.whenComplete((value, failure) -> {
      if (!answered.compareAndSet(false, true)) return;
      try {
        write(res, result, json);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.FINE, "answering a completed request failed (client gone?)", e);
      } finally {
        async.complete();
      }
    });
  }

  private static <T> void write(HttpServletResponse res, CompletableFuture<T> done, Function<T, byte[]> json)
      throws IOException {
    Throwable failure = done.handle((value, thrown) -> thrown).join();
    if (failure != null) {
      writeError(res, ErrorTranslator.translate(failure));
    } else {
      writeJson(res, HttpServletResponse.SC_OK, json.apply(done.join()));
    }
  }

  static void writeError(HttpServletResponse res, ApiError error) throws IOException {
    error.headers().forEach(res::setHeader);
    writeJson(res, error.status(), KvJson.error(error.body()));
  }

  private static void writeJson(HttpServletResponse res, int status, byte[] body) throws IOException {
    res.setStatus(status);
    res.setContentType("application/json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  /**
   * Hands the request to JAX-RS as if it had been routed there directly: that servlet is mapped at
   * "/*", so it expects an empty servlet path and the whole path as path info.
   */
  private void forwardToJaxRs(HttpServletRequest req, HttpServletResponse res) throws IOException, ServletException {
    var dispatcher = jaxRsServlet == null ? null : getServletContext().getNamedDispatcher(jaxRsServlet);
    if (dispatcher == null) {
      writeError(res, ErrorTranslator.translate(new IllegalStateException("no JAX-RS servlet named " + jaxRsServlet)));
      return;
    }
    dispatcher.forward(new AtApplicationRoot(req), res);
  }

  private static final class AtApplicationRoot extends HttpServletRequestWrapper {
    private final String pathInfo;

    AtApplicationRoot(HttpServletRequest req) {
      super(req);
      this.pathInfo = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
    }

    @Override
    public String getServletPath() {
      return "";
    }

    @Override
    public String getPathInfo() {
      return pathInfo;
    }
  }

  /** Answers a request the safety-net timeout caught, unless its call answered first. */
  private record TimeoutAnswer(HttpServletResponse res, AtomicBoolean answered, String operation)
      implements AsyncListener {
    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      if (!answered.compareAndSet(false, true)) return;
      boolean write = !"get".equals(operation);
      writeError(res, write
          ? new ApiError(504, ErrorBody.of("outcome unknown", "no answer within " + ASYNC_TIMEOUT_MS
              + " ms; the write may or may not have been applied: read the key to find out"))
          : new ApiError(503, ErrorBody.of("unavailable", "no answer within " + ASYNC_TIMEOUT_MS + " ms"),
              java.util.Map.of("Retry-After", "1")));
      event.getAsyncContext().complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
