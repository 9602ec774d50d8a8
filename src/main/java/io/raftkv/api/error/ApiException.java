package io.raftkv.api.error;

import io.raftkv.node.ErrorCode;

/**
 * A request the API itself rejects (bad input, too large, unknown key). Carries everything the error
 * response needs, so {@link ErrorTranslator} does not have to guess: its {@link ErrorCode} (hence the
 * status) and a specific title ("malformed JSON", "invalid key", ...) for the JSON {@code "error"}.
 */
public final class ApiException extends RuntimeException {

  private final ErrorCode code;
  private final String error;
  private final String detail;
  private final String key;

  private ApiException(ErrorCode code, String error, String detail, String key) {
    super(error + (detail == null ? "" : ": " + detail), null, false, false);
    this.code = code;
    this.error = error;
    this.detail = detail;
    this.key = key;
  }

  public static ApiException badRequest(String error, String detail) {
    return new ApiException(ErrorCode.BAD_REQUEST, error, detail, null);
  }

  public static ApiException tooLarge(String error, String detail) {
    return new ApiException(ErrorCode.TOO_LARGE, error, detail, null);
  }

  public static ApiException keyNotFound(String key) {
    return new ApiException(ErrorCode.NOT_FOUND, "key not found", null, key);
  }

  public static ApiException memberNotFound(String detail) {
    return new ApiException(ErrorCode.NOT_FOUND, "member not found", detail, null);
  }

  public ErrorCode code() { return code; }

  public int status() { return code.httpStatus(); }

  public String error() { return error; }

  public String detail() { return detail; }

  public String key() { return key; }
}
