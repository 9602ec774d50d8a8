package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.RequestRunner;
import io.raftkv.api.json.RequestBodies;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvService;
import io.raftkv.kv.Txn;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/**
 * {@code POST /txn}: a transaction ({@link TxnRequest}) run atomically as one log entry, answered
 * with a {@link TxnResponse}; optionally under an {@code Idempotency-Key}. Bodies are read as JSON
 * whatever their Content-Type, as for {@code /kv}.
 */
@ApplicationScoped
@Path("txn")
@Produces(MediaType.APPLICATION_JSON)
public class TxnResource {

  private KvService kv;
  private ApiLimits limits;
  private RequestRunner runner;

  /** For the CDI client proxy; public because RESTEasy (WildFly) refuses a resource without one (ResourceConstructorsTest). */
  public TxnResource() {}

  @Inject
  public TxnResource(KvService kv, ApiLimits limits, RequestMetrics metrics) {
    this.kv = kv;
    this.limits = limits;
    this.runner = new RequestRunner(metrics);
  }

  /** A {@link TxnResponse}, or a stage of one when the commit takes longer than RequestRunner's wait. */
  @POST
  @Consumes(MediaType.WILDCARD)
  public Object txn(@HeaderParam("Content-Length") String contentLength,
      @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey, InputStream body) {
    return runner.answer("txn", () -> {
      String key = IdempotencyKeyHeader.parse(idempotencyKey);
      byte[] bytes = RequestBodies.readBounded(body, RequestBodies.parseLength(contentLength), limits.bodyBytes());
      Txn txn = TxnRequest.parse(RequestBodies.parseObject(bytes), limits);
      return kv.txn(txn, key).thenApply(TxnResponse::of);
    });
  }
}
