package io.raftkv.api.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps {@code WebApplicationException} to a JSON error. One mapper per type, all delegating to {@link ErrorTranslator},
 * so that no more specific mapper of the server's own (with its HTML pages) can win.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
  @Override
  public Response toResponse(WebApplicationException e) {
    return ErrorResponses.fromWebApplicationException(e);
  }
}
