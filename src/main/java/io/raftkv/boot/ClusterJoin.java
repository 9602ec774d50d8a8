package io.raftkv.boot;

import io.raftkv.node.ClusterCa;
import io.raftkv.node.NodeConfig;
import io.raftkv.node.NodeStatus;
import io.raftkv.node.RaftLoop;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * {@code raftkv.join=http://member:port}: a new node asks a running cluster to add it. Before the node
 * starts, the members' addresses are fetched from the member's {@code GET /cluster} (unless given, or
 * the node already has Raft state); after it starts, a background thread sends {@code POST
 * /cluster/members} for this node — retried while the cluster is busy (409, 503, no answer) — until
 * this node is a voter. The request returns once the leader promoted the node, i.e. after it caught up.
 *
 * <p>Into a secure cluster (docs/security.md "Joining a secure cluster"): both requests carry {@code
 * raftkv.join.token} (a token with the {@code read} and {@code admin} roles; bin/raftkv-node passes
 * RAFTKV_TOKEN as the environment variable RAFTKV_JOIN_TOKEN, so it is not on the command line), and an
 * https member is trusted when its certificate chains to the cluster CA, {@code raftkv.peer.tls.ca}.
 */
final class ClusterJoin {
  static final String JOIN = "raftkv.join";
  static final String JOIN_TIMEOUT_S = "raftkv.join.timeout.s";
  static final String JOIN_TOKEN = "raftkv.join.token";
  static final String CLUSTER_CA = "raftkv.peer.tls.ca";
  private static final Logger LOG = Logger.getLogger(ClusterJoin.class.getName());
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);
  /** Above the leader's catch-up timeout (60 s), so a slow catch-up is answered, not cut off. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);

  private final HttpClient http;
  private final URI member;
  private final Optional<String> token;

  private ClusterJoin(URI member, Optional<String> token, SSLContext tls) {
    this.member = member;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1).sslContext(tls).build();
  }

  /** The join URL configured, if any, with the token and the CA to trust when they are configured. */
  static Optional<ClusterJoin> configured(Function<String, Optional<String>> lookup) {
    Optional<String> url = lookup.apply(JOIN).map(String::trim).filter(s -> !s.isEmpty());
    if (url.isEmpty()) return Optional.empty();
    Optional<String> token = lookup.apply(JOIN_TOKEN).map(String::strip).filter(s -> !s.isEmpty());
    SSLContext tls = trusting(lookup.apply(CLUSTER_CA).map(String::trim).filter(s -> !s.isEmpty()));
    String base = url.get().endsWith("/") ? url.get() : url.get() + "/";
    return Optional.of(new ClusterJoin(URI.create(base), token, tls));
  }

  /** A TLS context trusting the cluster CA's PEM file; the JVM default when none is configured. */
  private static SSLContext trusting(Optional<String> caPem) {
    try {
      return ClusterCa.trusting(caPem.map(Path::of));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(CLUSTER_CA + " for " + JOIN + ": " + e.getMessage(), e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(member.resolve(path));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  /**
   * The configuration lookup with the members' addresses filled in from the member's view when the
   * node is new and none were given; {@code raftkv.cluster.state} becomes {@code existing}.
   */
  Function<String, Optional<String>> withMemberAddresses(Function<String, Optional<String>> lookup)
      throws IOException {
    boolean given = lookup.apply(NodeConfig.CLUSTER).filter(s -> !s.isBlank()).isPresent();
    Optional<Path> dir = lookup.apply(NodeConfig.DATA_DIR).map(Path::of);
    if (given) return lookup;
    if (dir.map(d -> Files.isDirectory(d.resolve("je"))).orElse(false)) {
      // A restart: membership comes from the log and addresses from the stored book. With no address
      // list, "existing" would be refused, and an empty "new" list bootstraps nothing.
      return key -> key.equals(NodeConfig.CLUSTER_STATE) ? Optional.of("new") : lookup.apply(key);
    }
    JsonObject view = fetchView();
    StringJoiner peers = new StringJoiner(",");
    StringJoiner https = new StringJoiner(",");
    for (JsonObject m : view.getJsonArray("members").getValuesAs(JsonObject.class)) {
      long id = m.getJsonNumber("id").longValue();
      if (m.containsKey("peer") && !m.isNull("peer")) peers.add(id + "@" + m.getString("peer"));
      if (m.containsKey("http") && !m.isNull("http")) https.add(id + "@" + m.getString("http"));
    }
    LOG.info("joining through " + member + ": members " + peers);
    return key -> switch (key) {
      case NodeConfig.CLUSTER -> Optional.of(peers.toString());
      case NodeConfig.CLUSTER_HTTP -> Optional.of(https.toString());
      case NodeConfig.CLUSTER_STATE -> Optional.of("existing");
      default -> lookup.apply(key);
    };
  }

  private JsonObject fetchView() throws IOException {
    HttpRequest get = request("cluster").timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response = send(get);
    if (response.statusCode() != 200) {
      throw new IOException("cannot join through " + member + ": GET /cluster answered " + response.statusCode()
          + " " + response.body());
    }
    try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }

  /** Starts the background request that adds this node; it ends once the node is a voter or gives up. */
  void requestMembership(RaftLoop loop, Duration timeout) {
    Thread t = new Thread(() -> runJoin(loop, timeout), "raftkv-join");
    t.setDaemon(true);
    t.start();
  }

  private void runJoin(RaftLoop loop, Duration timeout) {
    NodeConfig c = loop.config();
    long deadline = System.nanoTime() + timeout.toNanos();
    var request = Json.createObjectBuilder().add("id", c.nodeId()).add("peer", c.peerAddress().toString());
    if (c.httpAddress() != null) request.add("http", c.httpAddress().toString());
    String body = request.build().toString();
    while (loop.isRunning() && System.nanoTime() < deadline) {
      if (isVoter(loop)) {
        LOG.info("node " + c.nodeId() + " is a voter of the cluster");
        return;
      }
      try {
        HttpResponse<String> r = send(request("cluster/members")
            .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() == 200) {
          LOG.info("node " + c.nodeId() + " was added to the cluster through " + member);
          return;
        }
        if (r.statusCode() != 409 && r.statusCode() < 500 && !isVoter(loop)) {
          LOG.severe("the cluster at " + member + " refused to add node " + c.nodeId() + ": " + r.statusCode()
              + " " + r.body());
          return;
        }
        LOG.info("join request not done yet (" + r.statusCode() + " " + r.body() + "); retrying");
      } catch (IOException e) {
        LOG.log(Level.INFO, "join request to " + member + " failed (" + e + "); retrying");
      }
      sleep();
    }
    if (loop.isRunning() && !isVoter(loop)) {
      LOG.severe("node " + c.nodeId() + " did not become a member through " + member + " within " + timeout);
    }
  }

  private static boolean isVoter(RaftLoop loop) {
    NodeStatus s = loop.status();
    return s != null && s.appliedConf().voters().contains(loop.nodeId()); // committed, not just appended
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
