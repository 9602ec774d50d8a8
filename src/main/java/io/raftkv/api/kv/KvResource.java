package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.RequestRunner;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.RequestBodies;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvException;
import io.raftkv.kv.KvService;
import io.raftkv.kv.RangeQuery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code /kv/{key}}: put (optionally compare-and-set), get at a chosen consistency, delete. Keys may
 * contain '/'. Bodies are read as JSON whatever their Content-Type. {@code GET /kv?...} reads a range
 * of keys ({@link RangeParams}).
 */
@ApplicationScoped
@Path("kv")
@Produces(MediaType.APPLICATION_JSON)
public class KvResource {

  private KvService kv;
  private ApiLimits limits;
  private RequestRunner runner;

  /**
   * For the CDI client proxy only; public because RESTEasy (WildFly) refuses a resource class without a
   * public constructor it could call itself, even though CDI creates the instances (docs/operations.md
   * "WildFly").
   */
  public KvResource() {}

  @Inject
  public KvResource(KvService kv, ApiLimits limits, RequestMetrics metrics) {
    this.kv = kv;
    this.limits = limits;
    this.runner = new RequestRunner(metrics);
  }

  /**
   * An {@link EntryResponse} once the write is applied, or a stage of one when it is still waiting
   * for its commit after RequestRunner's wait (an election): see RequestRunner#answer.
   */
  @PUT
  @Path("{key: .+}")
  @Consumes(MediaType.WILDCARD)
  public Object put(@PathParam("key") String key, @HeaderParam("Content-Length") String contentLength,
      @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey, InputStream body) {
    return runner.answer("put", () -> {
      limits.checkKey(key);
      String idempotency = IdempotencyKeyHeader.parse(idempotencyKey);
      byte[] bytes = RequestBodies.readBounded(body, RequestBodies.parseLength(contentLength), limits.bodyBytes());
      PutRequest request = PutRequest.parse(RequestBodies.parseObject(bytes), limits);
      return kv.put(key, request.value(), request.condition(), request.ttlSeconds(), idempotency)
          .thenApply(EntryResponse::of);
    });
  }

  /**
   * An {@link EntryResponse}, or a stage of one: a read that finishes within RequestRunner's wait (a
   * local read at once, a ReadIndex round after it) is answered without suspending the request.
   */
  @GET
  @Path("{key: .+}")
  public Object get(@PathParam("key") String key, @QueryParam("consistency") String consistency) {
    return runner.answer("get", () -> {
      limits.checkKey(key);
      return kv.get(key, Consistency.parse(consistency))
          .thenApply(found -> found.map(EntryResponse::of).orElseThrow(() -> ApiException.keyNotFound(key)));
    });
  }

  @DELETE
  @Path("{key: .+}")
  public Object delete(@PathParam("key") String key, @HeaderParam(IdempotencyKeyHeader.NAME) String idempotencyKey) {
    return runner.answer("delete", () -> {
      limits.checkKey(key);
      return kv.delete(key, IdempotencyKeyHeader.parse(idempotencyKey))
          .handle((revision, failure) -> {
            if (failure == null) {
              return new DeleteResponse(key, true, revision);
            }
            throw isNotFound(failure) ? ApiException.keyNotFound(key) : asCompletionException(failure);
          });
    });
  }

  /** {@code /kv} and {@code /kv/} name no key. */
  @PUT
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<EntryResponse> putWithoutKey() {
    return CompletableFuture.failedFuture(emptyKey());
  }

  /**
   * A range read: a {@link RangeResponse} or, with {@code countOnly=true}, a {@link CountResponse}; like
   * {@link #get}, a value when served at once, else a stage.
   */
  @GET
  public Object range(@QueryParam("prefix") String prefix, @QueryParam("start") String start,
      @QueryParam("end") String end, @QueryParam("after") String after, @QueryParam("limit") String limit,
      @QueryParam("countOnly") String countOnly, @QueryParam("consistency") String consistency) {
    return runner.answer("range", () -> {
      RangeQuery query = new RangeParams(prefix, start, end, after, limit, countOnly).toQuery(limits);
      return kv.range(query, Consistency.parse(consistency))
          .<Object>thenApply(result -> query.countOnly() ? CountResponse.of(result) : RangeResponse.of(result));
    });
  }

  @DELETE
  public CompletionStage<DeleteResponse> deleteWithoutKey() {
    return CompletableFuture.failedFuture(emptyKey());
  }

  private static ApiException emptyKey() {
    return ApiException.badRequest("invalid key", "the key must not be empty: use /kv/{key}");
  }

  private static boolean isNotFound(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof KvException.NotFound;
  }

  private static CompletionException asCompletionException(Throwable failure) {
    return failure instanceof CompletionException ce ? ce : new CompletionException(failure);
  }
}
