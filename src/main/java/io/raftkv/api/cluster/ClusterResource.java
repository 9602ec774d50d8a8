package io.raftkv.api.cluster;

import io.raftkv.api.RequestRunner;
import io.raftkv.api.json.RequestBodies;
import io.raftkv.api.metrics.RequestMetrics;
import io.raftkv.kv.KvService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code /cluster}: this node's view of the cluster, membership changes, leadership transfer. */
@ApplicationScoped
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

  /** Membership bodies are tiny; a larger one is a mistake or an attack. */
  private static final int MAX_BODY_BYTES = 4096;

  private KvService kv;
  private RequestRunner runner;

  /**
   * For the CDI client proxy only; public because RESTEasy (WildFly) refuses a resource class without a
   * public constructor it could call itself, even though CDI creates the instances (docs/operations.md
   * "WildFly").
   */
  public ClusterResource() {}

  @Inject
  public ClusterResource(KvService kv, RequestMetrics metrics) {
    this.kv = kv;
    this.runner = new RequestRunner(metrics);
  }

  @GET
  public CompletionStage<ClusterResponse> view() {
    return runner.run("cluster", () -> CompletableFuture.completedFuture(ClusterResponse.of(kv.cluster())));
  }

  @POST
  @Path("members")
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<ClusterResponse> addMember(@HeaderParam("Content-Length") String length, InputStream body) {
    return runner.run("add-member", () -> {
      var request = MembershipRequests.parseAddMember(RequestBodies.parseObject(read(length, body)));
      return kv.addMember(request.id(), request.peer(), request.http()).thenApply(ClusterResponse::of);
    });
  }

  @DELETE
  @Path("members/{id}")
  public CompletionStage<ClusterResponse> removeMember(@PathParam("id") String id) {
    return runner.run("remove-member",
        () -> kv.removeMember(MembershipRequests.parseMemberId(id)).thenApply(ClusterResponse::of));
  }

  @POST
  @Path("leader")
  @Consumes(MediaType.WILDCARD)
  public CompletionStage<ClusterResponse> transferLeader(@HeaderParam("Content-Length") String length, InputStream body) {
    return runner.run("transfer-leader", () -> {
      var to = MembershipRequests.parseTransfer(RequestBodies.parseOptionalObject(read(length, body)));
      return kv.transferLeader(to).thenApply(ClusterResponse::of);
    });
  }

  private static byte[] read(String length, InputStream body) {
    return RequestBodies.readBounded(body, RequestBodies.parseLength(length), MAX_BODY_BYTES);
  }
}
