package io.raftkv.api.kv;

import io.raftkv.api.ApiLimits;
import io.raftkv.api.error.ApiException;
import io.raftkv.api.json.RequestBodies;
import io.raftkv.kv.KvException;
import io.raftkv.kv.KvService;
import java.io.InputStream;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The single-key operations of {@code /kv/{key}} from the request's raw parts to the response record,
 * shared by the JAX-RS resource ({@link KvResource}) and the servlet that answers the common requests
 * without JAX-RS ({@link KvServlet}), so both validate, call and answer exactly alike.
 */
final class KvCalls {

  private final KvService kv;
  private final ApiLimits limits;

  KvCalls(KvService kv, ApiLimits limits) {
    this.kv = kv;
    this.limits = limits;
  }

  CompletionStage<EntryResponse> put(String key, String idempotencyHeader, String contentLength, InputStream body) {
    limits.checkKey(key);
    String idempotency = IdempotencyKeyHeader.parse(idempotencyHeader);
    byte[] bytes = RequestBodies.readBounded(body, RequestBodies.parseLength(contentLength), limits.bodyBytes());
    PutRequest request = PutRequest.parse(RequestBodies.parseObject(bytes), limits);
    return kv.put(key, request.value(), request.condition(), request.ttlSeconds(), idempotency)
        .thenApply(EntryResponse::of);
  }

  CompletionStage<EntryResponse> get(String key, String consistency) {
    limits.checkKey(key);
    return kv.get(key, Consistency.parse(consistency))
        .thenApply(found -> found.map(EntryResponse::of).orElseThrow(() -> ApiException.keyNotFound(key)));
  }

  CompletionStage<DeleteResponse> delete(String key, String idempotencyHeader) {
    limits.checkKey(key);
    return kv.delete(key, IdempotencyKeyHeader.parse(idempotencyHeader))
        .handle((revision, failure) -> {
          if (failure == null) {
            return new DeleteResponse(key, true, revision);
          }
          throw isNotFound(failure) ? ApiException.keyNotFound(key) : asCompletionException(failure);
        });
  }

  private static boolean isNotFound(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof KvException.NotFound;
  }

  private static CompletionException asCompletionException(Throwable failure) {
    return failure instanceof CompletionException ce ? ce : new CompletionException(failure);
  }
}
