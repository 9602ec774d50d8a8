package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a node started by bin/raftkv-node serves to operators besides the API: the OpenAPI document at
 * {@code /openapi} (META-INF/openapi.yaml, docs/operations.md "OpenAPI") and the dashboard at {@code /ui}
 * (docs/operations.md "Dashboard"). OpenApiDocumentTest checks the document against the resources; this
 * checks that the container really serves both.
 */
class OperatorEndpointsIT {
  private static ClusterHarness cluster;
  // HTTP/1.1: Payara's h2c upgrade garbles large answers (docs/api.md, "HTTP versions").
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  @BeforeAll
  static void startNode() throws IOException {
    cluster = ClusterHarness.start("OperatorEndpointsIT", 1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = cluster.uri(1).resolve(path);
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void openApiServesTheStaticDocumentWithEveryPath() throws Exception {
    HttpResponse<String> doc = get("/openapi");
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(doc.body()).startsWith("openapi: 3.")
        .contains("/kv/{key}:", "/kv:", "/cluster:", "/cluster/members:", "/cluster/members/{id}:", "/cluster/leader:");
  }

  @Test
  void theDashboardIsServedUnderUiAndNothingElseOfTheWar() throws Exception {
    HttpResponse<String> bare = get("/ui");
    assertThat(bare.statusCode()).isEqualTo(303);
    assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/ui/"));

    HttpResponse<String> page = get("/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("<title>raftkv dashboard</title>", "dashboard.js");
    assertThat(get("/ui/dashboard.js").statusCode()).isEqualTo(200);
    assertThat(get("/ui/dashboard.css").statusCode()).isEqualTo(200);

    HttpResponse<String> other = get("/ui/WEB-INF/web.xml");
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).startsWith("{");
  }
}
