package io.raftkv.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.kv.EntryResponse;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvException;
import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.ProcessingException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ErrorTranslatorTest {

  private static final Logger TRANSLATOR_LOG = Logger.getLogger(ErrorTranslator.class.getName());

  @BeforeAll
  static void quietExpectedSevereLogs() {
    TRANSLATOR_LOG.setLevel(Level.OFF);
  }

  @AfterAll
  static void restoreLogs() {
    TRANSLATOR_LOG.setLevel(null);
  }

  @Test
  void everyKvExceptionKeepsItsStatus() {
    assertThat(ErrorTranslator.translate(new KvException.NotFound("m")).status()).isEqualTo(404);
    assertThat(ErrorTranslator.translate(new KvException.BadRequest("m")).status()).isEqualTo(400);
    assertThat(ErrorTranslator.translate(new KvException.Conflict("m")).status()).isEqualTo(409);
    assertThat(ErrorTranslator.translate(new KvException.PreconditionFailed("m", null)).status()).isEqualTo(412);
    assertThat(ErrorTranslator.translate(new KvException.Unavailable("m", 2)).status()).isEqualTo(503);
    assertThat(ErrorTranslator.translate(new KvException.OutcomeUnknown("m")).status()).isEqualTo(504);
  }

  @Test
  void unavailableCarriesRetryAfterOfAtLeastOneSecond() {
    assertThat(ErrorTranslator.translate(new KvException.Unavailable("no leader", 3)).headers())
        .isEqualTo(Map.of("Retry-After", "3"));
    assertThat(ErrorTranslator.translate(new KvException.Unavailable("no leader", 0)).headers())
        .isEqualTo(Map.of("Retry-After", "1"));
    assertThat(ErrorTranslator.translate(new KvException.Unavailable("no leader", 3)).body())
        .isEqualTo(ErrorBody.of("unavailable", "no leader"));
  }

  @Test
  void outcomeUnknownSaysTheWriteMayHaveHappened() {
    ApiError error = ErrorTranslator.translate(new KvException.OutcomeUnknown("leader lost"));
    assertThat(error.body().error()).isEqualTo("outcome unknown");
    assertThat(error.body().detail()).contains("may or may not have been applied").contains("leader lost");
  }

  @Test
  void preconditionFailedShowsTheCurrentEntry() {
    KvEntry current = new KvEntry("foo", "now", 3, 9, 4);
    ApiError error = ErrorTranslator.translate(new KvException.PreconditionFailed("revision mismatch", current));
    assertThat(error.body()).isEqualTo(
        new ErrorBody("precondition failed", "revision mismatch", null, new EntryResponse("foo", "now", 9, 3, 4)));
  }

  @Test
  void completionWrappersAreSeenThrough() {
    ApiError error = ErrorTranslator.translate(
        new CompletionException(new ExecutionException(new KvException.Conflict("busy"))));
    assertThat(error.status()).isEqualTo(409);
    assertThat(ErrorTranslator.statusOf(new CompletionException(ApiException.tooLarge("x", "y")))).isEqualTo(413);
  }

  @Test
  void jsonFailuresAreBadRequestsNotServerErrors() {
    assertThat(ErrorTranslator.translate(new JsonbException("bad")).status()).isEqualTo(400);
    assertThat(ErrorTranslator.translate(new JsonParsingException("bad", null)).status()).isEqualTo(400);
    assertThat(ErrorTranslator.translate(new ProcessingException(new JsonbException("bad"))).status()).isEqualTo(400);
  }

  @Test
  void unexpectedFailuresAre500WithoutInternalDetails() {
    ApiError error = ErrorTranslator.translate(new IllegalStateException("secret internal state"));
    assertThat(error.status()).isEqualTo(500);
    assertThat(error.body().error()).isEqualTo("internal error");
    assertThat(error.body().detail()).doesNotContain("secret").contains("reference");
    assertThat(ErrorTranslator.statusOf(new NullPointerException())).isEqualTo(500);
  }

  @Test
  void aCompactedWatchRevisionIsGoneWithTheOldestRevisionKept() {
    ApiError error = ErrorTranslator.translate(
        new java.util.concurrent.CompletionException(new io.raftkv.kv.watch.HistoryCompactedException(3, 120)));
    assertThat(error.status()).isEqualTo(410);
    assertThat(error.body().error()).isEqualTo("revision compacted");
    assertThat(error.body().oldestRevision()).isEqualTo(120L);
    assertThat(error.body().detail()).contains("120");
  }

  @Test
  void apiExceptionsKeepTheirKey() {
    assertThat(ErrorTranslator.translate(ApiException.keyNotFound("a/b")))
        .isEqualTo(new ApiError(404, new ErrorBody("key not found", null, "a/b", null)));
  }

  @Test
  void runtimeDecidedErrorsBecomeJsonWithTheirHeaders() {
    ApiError notAllowed = ErrorTranslator.fromHttpStatus(405, "GET, PUT", "HTTP 405 Method Not Allowed");
    assertThat(notAllowed.status()).isEqualTo(405);
    assertThat(notAllowed.headers()).isEqualTo(Map.of("Allow", "GET, PUT"));
    assertThat(notAllowed.body()).isEqualTo(ErrorBody.of("method not allowed", "allowed methods: GET, PUT"));

    ApiError notFound = ErrorTranslator.fromHttpStatus(404, null, "HTTP 404 Not Found");
    assertThat(notFound.body()).isEqualTo(ErrorBody.of("not found", "no resource at this path"));
    assertThat(notFound.headers()).isEmpty();

    assertThat(ErrorTranslator.fromHttpStatus(500, null, "boom").body().detail()).doesNotContain("boom");
  }

  @Test
  void theContainersNotImplementedAndUnavailableStayWhatTheyAreNotInternalErrors() {
    // The servlet container answers 501 to a method no servlet implements (CONNECT on /health).
    ApiError notImplemented = ErrorTranslator.fromHttpStatus(501, null, "Method CONNECT is not supported");
    assertThat(notImplemented).isEqualTo(new ApiError(501, ErrorBody.of("not implemented", "Method CONNECT is not supported")));
    assertThat(ErrorTranslator.fromHttpStatus(503, null, null).body().error()).isEqualTo("unavailable");
    assertThat(ErrorTranslator.fromHttpStatus(502, null, "bad gateway").status()).isEqualTo(500);
  }

  @Test
  void errorTextsEchoingAnUnpairedSurrogateStayWritableAsUtf8() {
    ErrorBody body = new ErrorBody("unknown field", "unknown [\ud800]", "k\udc00\ud83d\ude00", null);
    assertThat(body.detail()).isEqualTo("unknown [\ufffd]");
    assertThat(body.key()).isEqualTo("k\ufffd\ud83d\ude00");
  }
}
