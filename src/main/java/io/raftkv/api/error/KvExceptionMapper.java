package io.raftkv.api.error;

import io.raftkv.kv.KvException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps {@code KvException} to a JSON error. One mapper per type, all delegating to {@link ErrorTranslator},
 * so that no more specific mapper of the server's own (with its HTML pages) can win.
 */
@Provider
public class KvExceptionMapper implements ExceptionMapper<KvException> {
  @Override
  public Response toResponse(KvException e) {
    return ErrorResponses.toResponse(ErrorTranslator.translate(e));
  }
}
