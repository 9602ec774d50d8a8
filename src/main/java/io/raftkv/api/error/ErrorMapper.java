package io.raftkv.api.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The one exception mapper: every failure a resource throws or completes its stage with, and every
 * error the JAX-RS runtime decides itself (no such path, wrong method, unacceptable media type), becomes
 * the store's JSON error via {@link ErrorTranslator}. JAX-RS picks the mapper of the nearest supertype,
 * and the runtime registers none of its own for these types, so {@code Throwable} covers them all.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {
  @Override
  public Response toResponse(Throwable e) {
    if (e instanceof WebApplicationException web) {
      return ErrorResponses.fromWebApplicationException(web);
    }
    return ErrorResponses.toResponse(ErrorTranslator.translate(e));
  }
}
