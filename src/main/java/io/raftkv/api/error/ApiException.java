package io.raftkv.api.error;

/**
 * A request the API itself rejects (bad input, too large, unknown key). Carries everything the error
 * response needs, so {@link ErrorTranslator} does not have to guess.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String error;
  private final String detail;
  private final String key;

  private ApiException(int status, String error, String detail, String key) {
    super(error + (detail == null ? "" : ": " + detail), null, false, false);
    this.status = status;
    this.error = error;
    this.detail = detail;
    this.key = key;
  }

  public static ApiException badRequest(String error, String detail) {
    return new ApiException(400, error, detail, null);
  }

  public static ApiException tooLarge(String error, String detail) {
    return new ApiException(413, error, detail, null);
  }

  public static ApiException keyNotFound(String key) {
    return new ApiException(404, "key not found", null, key);
  }

  public static ApiException memberNotFound(String detail) {
    return new ApiException(404, "member not found", detail, null);
  }

  public int status() { return status; }

  public String error() { return error; }

  public String detail() { return detail; }

  public String key() { return key; }
}
