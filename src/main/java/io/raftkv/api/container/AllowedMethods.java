package io.raftkv.api.container;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a path allows, asked of whichever servlet serves it (Jersey for the API, MicroProfile's for
 * {@code /health} and {@code /metrics}) by passing the request on as an {@code OPTIONS} whose answer
 * is recorded, never sent. {@link RequestGuard} answers {@code OPTIONS} and {@code TRACE}
 * from it, so both look the same on every path without the filter knowing the routes.
 */
final class AllowedMethods {

  /** The recorded answer: its status and its Allow header without TRACE (null when it had none). */
  record Answer(int status, String allow) {
    boolean found() {
      return status >= 200 && status < 300;
    }
  }

  private AllowedMethods() {}

  static Answer ask(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Recorder recorder = new Recorder(res);
    chain.doFilter(new HttpServletRequestWrapper(req) {
      @Override
      public String getMethod() {
        return "OPTIONS";
      }
    }, recorder);
    return new Answer(recorder.status, withoutTrace(recorder.allow));
  }

  /** TRACE is refused on every path (RequestGuard), so no Allow header may offer it. */
  static String withoutTrace(String allow) {
    if (allow == null) {
      return null;
    }
    return Arrays.stream(allow.split(","))
        .map(String::trim)
        .filter(method -> !method.isEmpty() && !method.toUpperCase(Locale.ROOT).equals("TRACE"))
        .collect(Collectors.joining(", "));
  }

  /** Keeps the status and the Allow header; everything else, the body included, goes nowhere. */
  private static final class Recorder extends HttpServletResponseWrapper {
    private int status = SC_OK;
    private String allow;

    Recorder(HttpServletResponse res) {
      super(res);
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public void sendError(int sc) {
      status = sc;
    }

    @Override
    public void sendError(int sc, String msg) {
      status = sc;
    }

    @Override
    public void setHeader(String name, String value) {
      if ("Allow".equalsIgnoreCase(name)) {
        allow = value;
      }
    }

    @Override
    public void addHeader(String name, String value) {
      if ("Allow".equalsIgnoreCase(name)) {
        allow = allow == null ? value : allow + ", " + value;
      }
    }

    @Override
    public String getHeader(String name) {
      return "Allow".equalsIgnoreCase(name) ? allow : null;
    }

    @Override
    public boolean containsHeader(String name) {
      return getHeader(name) != null;
    }

    @Override
    public void setIntHeader(String name, int value) {}

    @Override
    public void addIntHeader(String name, int value) {}

    @Override
    public void setDateHeader(String name, long date) {}

    @Override
    public void addDateHeader(String name, long date) {}

    @Override
    public void setContentType(String type) {}

    @Override
    public void setContentLength(int len) {}

    @Override
    public void setContentLengthLong(long len) {}

    @Override
    public void setCharacterEncoding(String charset) {}

    @Override
    public void setBufferSize(int size) {}

    @Override
    public void flushBuffer() {}

    @Override
    public void reset() {
      status = SC_OK;
      allow = null;
    }

    @Override
    public void resetBuffer() {}

    @Override
    public boolean isCommitted() {
      return false;
    }

    @Override
    public ServletOutputStream getOutputStream() {
      return new Discard();
    }

    @Override
    public PrintWriter getWriter() {
      return new PrintWriter(OutputStream.nullOutputStream());
    }
  }

  private static final class Discard extends ServletOutputStream {
    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {}
  }
}
