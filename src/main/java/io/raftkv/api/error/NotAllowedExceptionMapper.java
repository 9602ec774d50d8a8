package io.raftkv.api.error;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps {@code NotAllowedException} to a JSON error. One mapper per type, all delegating to {@link ErrorTranslator},
 * so that no more specific mapper of the server's own (with its HTML pages) can win.
 */
@Provider
public class NotAllowedExceptionMapper implements ExceptionMapper<NotAllowedException> {
  @Override
  public Response toResponse(NotAllowedException e) {
    return ErrorResponses.fromWebApplicationException(e);
  }
}
