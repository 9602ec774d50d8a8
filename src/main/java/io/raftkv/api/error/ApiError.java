package io.raftkv.api.error;

import java.util.Map;

/** A fully decided error response: status, JSON body and extra headers (Allow, Retry-After). */
public record ApiError(int status, ErrorBody body, Map<String, String> headers) {

  public ApiError {
    headers = Map.copyOf(headers);
  }

  public ApiError(int status, ErrorBody body) {
    this(status, body, Map.of());
  }
}
