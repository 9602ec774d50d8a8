package io.raftkv.api.container;

import io.raftkv.api.error.ApiError;
import io.raftkv.api.error.ErrorBody;
import io.raftkv.api.error.ErrorTranslator;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The error page of this web application (WEB-INF/web.xml): an error the servlet container raises
 * itself inside the store's context (it refuses {@code TRACE}, a body it cannot read, a failure
 * outside JAX-RS) would otherwise be the container's HTML or empty page. It gets the same JSON body as
 * every error the API shapes ({@link ErrorTranslator#fromHttpStatus}). Reached directly, not as an
 * error dispatch, this path is just an unknown path: 404.
 */
@WebServlet(urlPatterns = ContainerErrorServlet.PATH)
public class ContainerErrorServlet extends HttpServlet {

  static final String PATH = "/raftkv-container-error";

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    boolean errorDispatch = req.getDispatcherType() == DispatcherType.ERROR;
    Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = errorDispatch && code instanceof Integer given ? given : HttpServletResponse.SC_NOT_FOUND;
    Object message = req.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    Object failure = errorDispatch ? req.getAttribute(RequestDispatcher.ERROR_EXCEPTION) : null;
    if (isFormTooLarge(failure)) {
      // A servlet asked for request parameters (MicroProfile's /health does) of a form body larger than
      // the listener parses: the client's fault, not a bug (it was a 500).
      write(res, new ApiError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, ErrorBody.of("request body too large",
          "a form body (application/x-www-form-urlencoded) over the server's limit for form parameters (2 MiB)")));
      return;
    }
    IOException cut = ioCause(failure);
    if (cut != null) {
      // The body could not be read (the client stopped sending or closed): its fault, not a bug.
      write(res, new ApiError(HttpServletResponse.SC_BAD_REQUEST,
          ErrorBody.of("bad request", "the request body could not be read: " + cut)));
      return;
    }
    ApiError error = ErrorTranslator.fromHttpStatus(status, res.getHeader("Allow"),
        message instanceof String text && !text.isBlank() ? text : null);
    write(res, error);
  }

  /**
   * True for Grizzly's refusal to parse a form body over its {@code maxFormPostSize} (2 MiB by default),
   * an IllegalStateException ("GRIZZLY0205: Post too large") thrown where a servlet calls
   * {@code getParameter} on a body whose declared length is over it.
   */
  static boolean isFormTooLarge(Object failure) {
    for (Throwable t = failure instanceof Throwable given ? given : null; t != null; t = t.getCause()) {
      if (!(t instanceof IllegalStateException)) continue;
      if (t.getMessage() != null && t.getMessage().contains("Post too large")) return true;
      StackTraceElement[] stack = t.getStackTrace();
      if (stack.length > 0 && stack[0].getClassName().equals("org.glassfish.grizzly.http.server.Request")
          && stack[0].getMethodName().startsWith("parseRequestParameters")) {
        return true;
      }
    }
    return false;
  }

  private static IOException ioCause(Object failure) {
    for (Throwable t = failure instanceof Throwable given ? given : null; t != null; t = t.getCause()) {
      if (t instanceof IOException io) {
        return io;
      }
    }
    return null;
  }

  public static void write(HttpServletResponse res, ApiError error) throws IOException {
    JsonObjectBuilder body = Json.createObjectBuilder().add("error", error.body().error());
    if (error.body().detail() != null) {
      body.add("detail", error.body().detail());
    }
    byte[] bytes = body.build().toString().getBytes(StandardCharsets.UTF_8);
    res.setStatus(error.status());
    error.headers().forEach(res::setHeader);
    res.setContentType("application/json");
    res.setContentLength(bytes.length);
    res.getOutputStream().write(bytes);
  }
}
