package io.raftkv.api.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Turns a decided {@link ApiError} into a JAX-RS response; shared by all exception mappers. */
final class ErrorResponses {

  private ErrorResponses() {}

  static Response toResponse(ApiError error) {
    Response.ResponseBuilder builder = Response.status(error.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(error.body());
    error.headers().forEach(builder::header);
    return builder.build();
  }

  static Response fromWebApplicationException(WebApplicationException e) {
    Response original = e.getResponse();
    return toResponse(ErrorTranslator.fromHttpStatus(
        original.getStatus(), original.getHeaderString("Allow"), e.getMessage()));
  }
}
