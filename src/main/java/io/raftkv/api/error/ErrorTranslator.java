package io.raftkv.api.error;

import io.raftkv.api.kv.EntryResponse;
import io.raftkv.kv.KvException;
import io.raftkv.kv.watch.HistoryCompactedException;
import io.raftkv.node.ErrorCode;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides the HTTP error response for any failure, so that every error is JSON, bad input is never a
 * 500, and no stack trace reaches a client. Pure: the exception mappers only turn the result into a
 * JAX-RS {@code Response}.
 */
public final class ErrorTranslator {

  private static final Logger LOG = Logger.getLogger(ErrorTranslator.class.getName());

  private ErrorTranslator() {}

  /** The response for a failure thrown by a resource or completed into its async result. */
  public static ApiError translate(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ApiException api) {
      return new ApiError(api.status(), new ErrorBody(api.error(), api.detail(), api.key(), null));
    }
    if (cause instanceof KvException kv) {
      return fromKv(kv);
    }
    if (cause instanceof JsonException || cause instanceof JsonbException) {
      return new ApiError(400, ErrorBody.of("malformed JSON", cause.getMessage()));
    }
    if (cause instanceof HistoryCompactedException compacted) {
      return new ApiError(410, new ErrorBody("revision compacted", compacted.getMessage(), null, null,
          compacted.oldestRevision()));
    }
    return unexpected(cause);
  }

  /** HTTP status of a failure, for metrics. */
  public static int statusOf(Throwable failure) {
    return codeOf(failure).httpStatus();
  }

  /** The failure's place in the store's error vocabulary; anything unforeseen is {@code INTERNAL}. */
  public static ErrorCode codeOf(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ApiException api) {
      return api.code();
    }
    if (cause instanceof KvException kv) {
      return kv.code();
    }
    if (cause instanceof JsonException || cause instanceof JsonbException) {
      return ErrorCode.BAD_REQUEST;
    }
    return ErrorCode.INTERNAL;
  }

  /**
   * The response for an error the JAX-RS runtime decided itself (no matching path, wrong method,
   * unacceptable media type...), or the servlet container (a method no servlet implements: 501).
   * {@code allow} is the Allow header of a 405, else null. Only a 500 is a bug; 501 and 503 are answers.
   */
  public static ApiError fromHttpStatus(int status, String allow, String message) {
    if (status >= 500 && status != 501 && status != 503) {
      return unexpected(new IllegalStateException("HTTP " + status + ": " + message));
    }
    String detail = switch (status) {
      case 404 -> "no resource at this path";
      case 405 -> allow == null ? "method not allowed here" : "allowed methods: " + allow;
      default -> message;
    };
    Map<String, String> headers = allow == null ? Map.of() : Map.of("Allow", allow);
    return new ApiError(status, ErrorBody.of(reasonOf(status), detail), headers);
  }

  private static ApiError fromKv(KvException kv) {
    ErrorCode code = kv.code();
    String message = kv.getMessage();
    if (kv instanceof KvException.PreconditionFailed failed) {
      EntryResponse current = failed.current() == null ? null : EntryResponse.of(failed.current());
      return new ApiError(code.httpStatus(), new ErrorBody(code.title(), message, null, current));
    }
    if (kv instanceof KvException.Unavailable unavailable) {
      String retryAfter = Integer.toString(Math.max(1, unavailable.retryAfterSeconds()));
      return new ApiError(code.httpStatus(), ErrorBody.of(code.title(), message), Map.of("Retry-After", retryAfter));
    }
    if (code == ErrorCode.OUTCOME_UNKNOWN) {
      message = "the write may or may not have been applied; read the key to find out"
          + (message == null ? "" : " (" + message + ")");
    }
    return new ApiError(code.httpStatus(), ErrorBody.of(code.title(), message));
  }

  /** Logs the cause under a reference the client can quote; the client sees only the reference. */
  private static ApiError unexpected(Throwable cause) {
    String ref = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected failure serving a request (ref " + ref + ")", cause);
    return new ApiError(ErrorCode.INTERNAL.httpStatus(),
        ErrorBody.of(ErrorCode.INTERNAL.title(), "see the server log, reference " + ref));
  }

  /** Completion wrappers and the JAX-RS runtime's ProcessingException only carry the real cause. */
  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while ((current instanceof CompletionException || current instanceof ExecutionException
            || current instanceof ProcessingException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String reasonOf(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 406 -> "not acceptable";
      case 411 -> "length required";
      case 413 -> "request too large";
      case 415 -> "unsupported media type";
      case 501 -> "not implemented";
      case 503 -> "unavailable";
      default -> "http error " + status;
    };
  }
}
