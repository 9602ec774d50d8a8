package io.raftkv.api.cluster;

import io.raftkv.api.RequestRunner;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvService;
import io.raftkv.node.ClusterCa;
import io.raftkv.node.NodeConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /cluster/status}: every member's own figures in one answer, for the dashboard (a browser
 * page may only call its own origin) and for anyone who wants the whole cluster from one node. The work
 * is {@link ClusterStatusGatherer}'s; this class only wires it to the request.
 */
@ApplicationScoped
@jakarta.ws.rs.Path("cluster/status")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterStatusResource {
  private static final Logger LOG = Logger.getLogger(ClusterStatusResource.class.getName());

  private KvService kv;
  private RequestRunner runner;
  private ClusterStatusGatherer gatherer;

  /** For the CDI client proxy only; public for RESTEasy, as {@link ClusterResource}'s. */
  public ClusterStatusResource() {}

  @Inject
  public ClusterStatusResource(KvService kv, RequestMetrics metrics,
      @ConfigProperty(name = NodeConfig.PEER_TLS_CA) Optional<String> clusterCa) {
    this.kv = kv;
    this.runner = new RequestRunner(metrics);
    this.gatherer = new ClusterStatusGatherer(tls(clusterCa), ClusterStatusGatherer.Limits.DEFAULT);
  }

  /** A CA file that cannot be read leaves https members unreadable (their error says so), not the node down. */
  private static SSLContext tls(Optional<String> clusterCa) {
    Optional<Path> pem = clusterCa.map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
    try {
      return ClusterCa.trusting(pem);
    } catch (IllegalStateException e) {
      LOG.warning(NodeConfig.PEER_TLS_CA + ": " + e.getMessage() + "; GET /cluster/status uses the JVM's trust store");
      return ClusterCa.trusting(Optional.empty());
    }
  }

  @GET
  public Object status(@Context HttpHeaders headers, @Context UriInfo uri) {
    String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
    String scheme = uri.getRequestUri().getScheme();
    return runner.answer("cluster-status",
        () -> gatherer.gather(ClusterResponse.of(kv.cluster()), scheme, authorization));
  }

  @PreDestroy
  void close() {
    if (gatherer != null) gatherer.close();
  }
}
