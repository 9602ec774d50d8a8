package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.api.auth.AuthGate;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order of the front filter's checks, on requests that each check answers by itself. */
class FrontFilterTest {
  final FrontFilter filter = new FrontFilter(AuthGate.off());
  final List<HttpServletRequest> passedOn = new ArrayList<>();
  final FilterChain chain = (req, res) -> passedOn.add((HttpServletRequest) req);

  @AfterEach
  void notServing() {
    ServingGate.serving(false);
  }

  @Test
  void aStartingNodeAnswers503BeforeAnyOtherCheck() throws Exception {
    ServingGate.serving(false);
    Recorded res = new Recorded();
    filter.doFilter(request("CONNECT", "/kv/a", null), res.proxy(), chain);
    assertThat(res.status).isEqualTo(503);
    assertThat(res.headers).containsEntry("Retry-After", "1");
    assertThat(res.body()).isEqualTo("{\"error\":\"unavailable\",\"detail\":\"node is starting\"}");
    assertThat(passedOn).isEmpty();
  }

  @Test
  void aServingNodeRefusesConnectAndBrokenQueriesWithoutPassingThemOn() throws Exception {
    ServingGate.serving(true);
    Recorded connect = new Recorded();
    filter.doFilter(request("CONNECT", "/kv/a", null), connect.proxy(), chain);
    Recorded broken = new Recorded();
    filter.doFilter(request("GET", "/kv/a", "consistency=%ZZ"), broken.proxy(), chain);
    assertThat(connect.status).isEqualTo(501);
    assertThat(broken.status).isEqualTo(400);
    assertThat(broken.body()).contains("malformed percent-encoding in the query string at char 12");
    assertThat(passedOn).isEmpty();
  }

  @Test
  void aPlainRequestOfAServingNodeIsPassedOnOnceAndUntouched() throws Exception {
    ServingGate.serving(true);
    Recorded res = new Recorded();
    HttpServletRequest get = request("GET", "/kv/a", "consistency=stale");
    filter.doFilter(get, res.proxy(), chain);
    assertThat(passedOn).containsExactly(get);
    assertThat(res.status).isZero();
    assertThat(res.body()).isEmpty();
  }

  @Test
  void aFailureInsideARunningNodeIsTheContainersToAnswer() {
    ServingGate.serving(true);
    Recorded res = new Recorded();
    FilterChain failing = (req, r) -> {
      throw new IllegalStateException("boom");
    };
    assertThatThrownBy(() -> filter.doFilter(request("GET", "/kv/a", null), res.proxy(), failing))
        .isInstanceOf(IllegalStateException.class).hasMessage("boom");
    assertThat(res.status).isZero();
  }

  private static HttpServletRequest request(String method, String uri, String query) {
    return (HttpServletRequest) Proxy.newProxyInstance(FrontFilterTest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getMethod" -> method;
          case "getRequestURI" -> uri;
          case "getQueryString" -> query;
          case "getContextPath" -> "";
          case "toString" -> method + " " + uri;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(m.getName());
        });
  }

  /** A response that keeps its status, headers and body. */
  static final class Recorded {
    int status;
    final Map<String, String> headers = new HashMap<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    String body() {
      return out.toString(StandardCharsets.UTF_8);
    }

    HttpServletResponse proxy() {
      ServletOutputStream stream = new ServletOutputStream() {
        @Override
        public void write(int b) {
          out.write(b);
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          throw new UnsupportedOperationException();
        }
      };
      return (HttpServletResponse) Proxy.newProxyInstance(FrontFilterTest.class.getClassLoader(),
          new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
            switch (m.getName()) {
              case "setStatus" -> status = (Integer) args[0];
              case "setHeader" -> headers.put((String) args[0], (String) args[1]);
              case "getOutputStream" -> {
                return stream;
              }
              case "isCommitted" -> {
                return status != 0;
              }
              case "setContentType", "setContentLength" -> { }
              default -> throw new UnsupportedOperationException(m.getName());
            }
            return null;
          });
    }
  }
}
