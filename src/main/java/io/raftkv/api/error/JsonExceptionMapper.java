package io.raftkv.api.error;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Maps {@code JsonException} to a JSON error. One mapper per type, all delegating to {@link ErrorTranslator},
 * so that no more specific mapper of the server's own (with its HTML pages) can win.
 */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonException> {
  @Override
  public Response toResponse(JsonException e) {
    return ErrorResponses.toResponse(ErrorTranslator.translate(e));
  }
}
