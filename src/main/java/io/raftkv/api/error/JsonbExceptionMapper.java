package io.raftkv.api.error;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps {@code JsonbException} to a JSON error. One mapper per type, all delegating to {@link ErrorTranslator},
 * so that no more specific mapper of the server's own (with its HTML pages) can win.
 */
@Provider
public class JsonbExceptionMapper implements ExceptionMapper<JsonbException> {
  @Override
  public Response toResponse(JsonbException e) {
    return ErrorResponses.toResponse(ErrorTranslator.translate(e));
  }
}
