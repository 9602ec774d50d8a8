package io.raftkv.api.error;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps {@code NotFoundException} to a JSON error. One mapper per type, all delegating to {@link ErrorTranslator},
 * so that no more specific mapper of the server's own (with its HTML pages) can win.
 */
@Provider
public class NotFoundExceptionMapper implements ExceptionMapper<NotFoundException> {
  @Override
  public Response toResponse(NotFoundException e) {
    return ErrorResponses.fromWebApplicationException(e);
  }
}
