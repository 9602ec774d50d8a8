package io.raftkv.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.raftkv.api.cluster.ClusterResponse.MemberResponse;
import io.raftkv.api.cluster.ClusterStatusResponse.MemberStatus;
import io.raftkv.kv.KvException;
import io.raftkv.node.ClusterCa;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterStatusGatherer} against small JDK HTTP servers standing in for members: figures and lag
 * from every member's own answer, the caller's Authorization passed on, and a down, slow, garbage or
 * oversized member costing its row only, within the time bound.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterStatusGathererTest {
  private static final Duration CONNECT = Duration.ofMillis(200);
  private static final Duration REQUEST = Duration.ofMillis(1000);
  /** The bound a gather with a silent member must keep: its request timeout plus scheduling slack. */
  private static final Duration SLOW_GATHER_BOUND = REQUEST.plusMillis(1500);

  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Queue<String> authorizations = new ConcurrentLinkedQueue<>();
  private ClusterStatusGatherer gatherer = gatherer(ClusterStatusGatherer.Limits.DEFAULT.withTimeouts(CONNECT, REQUEST));

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(s -> s.stop(0));
    serverThreads.shutdownNow();
    gatherer.close();
  }

  private static ClusterStatusGatherer gatherer(ClusterStatusGatherer.Limits limits) {
    try {
      return new ClusterStatusGatherer(SSLContext.getDefault(), limits);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyMemberReportsItsOwnFiguresAndGetsTheCallersAuthorization() {
    String two = member(answering(view(2, "follower", 10, 8)));
    String three = member(answering(view(3, "follower", 9, 9)));
    ClusterResponse local = local(10, 10, Map.of(2L, two, 3L, three));

    ClusterStatusResponse status = gatherer.gather(local, "http", "Bearer t0k3n").join();

    assertThat(status.self()).isEqualTo(1);
    assertThat(status.leader()).isEqualTo(1L);
    assertThat(status.term()).isEqualTo(5);
    assertThat(status.members()).extracting(MemberStatus::id).containsExactly(1L, 2L, 3L);
    assertThat(status.members()).allSatisfy(m -> assertThat(m.reachable()).isTrue());
    assertThat(status.members()).extracting(MemberStatus::role).containsExactly("leader", "follower", "follower");
    assertThat(status.members()).extracting(MemberStatus::appliedIndex).containsExactly(10L, 8L, 9L);
    assertThat(status.members()).extracting(MemberStatus::lag).containsExactly(0L, 2L, 1L);
    assertThat(status.members()).extracting(MemberStatus::dataBytes).containsExactly(4096L, 2000L, 3000L);
    assertThat(status.members().get(1).http()).isEqualTo(two);
    assertThat(authorizations).containsExactly("Bearer t0k3n", "Bearer t0k3n");

    authorizations.clear();
    gatherer.gather(local, "http", null).join();
    assertThat(authorizations).as("no header sent when the caller had none").containsExactly("-", "-");
  }

  @Test
  void aDownOrSilentMemberIsUnreachableAndTheAnswerStillComesInTime() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String silent = member(exchange -> await()); // never answers
    String two = member(answering(view(2, "follower", 10, 10)));
    ClusterResponse local = local(10, 10, Map.of(2L, two, 3L, "127.0.0.1:" + closedPort, 4L, silent));

    long start = System.nanoTime();
    ClusterStatusResponse status = gatherer.gather(local, "http", null).join();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).as("bounded by the request timeout").isLessThan(SLOW_GATHER_BOUND);
    Map<Long, MemberStatus> byId = byId(status);
    assertThat(byId.get(2L).reachable()).isTrue();
    assertThat(byId.get(3L).reachable()).isFalse();
    assertThat(byId.get(3L).error()).isEqualTo("connection refused");
    assertThat(byId.get(3L).appliedIndex()).isNull();
    assertThat(byId.get(4L).reachable()).isFalse();
    assertThat(byId.get(4L).error()).matches("no answer (within 1000 ms|in time)");
    assertThat(byId.get(2L).lag()).isZero();
  }

  @Test
  void garbageOversizedForeignAndRefusedAnswersCostOnlyTheirRow() {
    String padding = "x".repeat(70 << 10);
    ClusterResponse local = local(10, 10, Map.of(
        2L, member(answering("<html>not the store</html>")),
        3L, member(answering(view(3, "follower", 10, 10).replace("\"members\"", "\"pad\":\"" + padding + "\",\"members\""))),
        4L, member(answering(view(7, "follower", 10, 10))),
        5L, member(exchange -> send(exchange, 401, "{\"error\":\"unauthorized\"}")),
        6L, member(answering("{\"self\":6,\"term\":\"five\"}")),
        7L, member(exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked: a body that starts and then stops
          exchange.getResponseBody().write("{\"self\":7,".getBytes(StandardCharsets.UTF_8));
          exchange.getResponseBody().flush();
          await();
        })));
    List<MemberResponse> members = new ArrayList<>(local.members());
    members.add(new MemberResponse(8, "follower", "h:9", null, null));
    local = withMembers(local, members);

    long start = System.nanoTime();
    Map<Long, MemberStatus> byId = byId(gatherer.gather(local, "http", null).join());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SLOW_GATHER_BOUND);

    assertThat(byId.get(1L).reachable()).isTrue();
    assertThat(byId.values()).filteredOn(m -> m.id() != 1).allSatisfy(m -> {
      assertThat(m.reachable()).as("member %d", m.id()).isFalse();
      assertThat(m.term()).isNull();
    });
    assertThat(byId.get(2L).error()).startsWith("unreadable answer: not JSON");
    assertThat(byId.get(3L).error()).isEqualTo("answer longer than 65536 bytes");
    assertThat(byId.get(4L).error()).isEqualTo("answered as node 7");
    assertThat(byId.get(5L).error()).isEqualTo("answered HTTP 401");
    assertThat(byId.get(6L).error()).isEqualTo("unreadable answer: term is not a whole number");
    assertThat(byId.get(7L).error()).matches("no answer (within 1000 ms|in time)");
    assertThat(byId.get(8L).error()).isEqualTo("no HTTP address known for this member");
  }

  @Test
  void membersOverTheCapAreNotAskedAndGathersOverTheCapAre503() {
    gatherer.close();
    gatherer = gatherer(new ClusterStatusGatherer.Limits(CONNECT, REQUEST, 1024, 2, 1));
    String silent = member(exchange -> await());
    String three = member(answering(view(3, "follower", 10, 10)));
    ClusterResponse local = local(10, 10, Map.of(2L, silent, 3L, three));

    var first = gatherer.gather(local, "http", null);
    assertThatThrownBy(() -> gatherer.gather(local, "http", null))
        .isInstanceOf(KvException.Unavailable.class).hasMessageContaining("at once (1)");
    Map<Long, MemberStatus> byId = byId(first.join());
    assertThat(byId.get(3L).error()).isEqualTo("not asked: over 2 members");
    assertThat(gatherer.gather(local, "http", null).join().members()).as("the slot is free again").hasSize(3);
  }

  /**
   * A --secure member (HTTPS with a certificate of the cluster CA, made by bin/lib/peer-certs.sh): read
   * when the gatherer trusts that CA (node.ClusterCa, as the resource sets it up), refused with a TLS
   * error under another CA's trust.
   */
  @Test
  void anHttpsMemberIsReadWhenItsCertificateChainsToTheClusterCa(@TempDir Path dir) throws Exception {
    peerCerts(dir.resolve("cluster"), "2=127.0.0.1");
    peerCerts(dir.resolve("other"));
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls(dir.resolve("cluster"), "2")));
    server.setExecutor(serverThreads);
    server.createContext("/cluster", exchange -> {
      try (exchange) {
        answering(view(2, "follower", 10, 10)).handle(exchange);
      }
    });
    server.start();
    servers.add(server);
    ClusterResponse local = local(10, 10, Map.of(2L, "127.0.0.1:" + server.getAddress().getPort()));

    try (var trusting = new ClusterStatusGatherer(ClusterCa.trusting(Optional.of(dir.resolve("cluster/ca.pem"))),
        ClusterStatusGatherer.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
      MemberStatus two = byId(trusting.gather(local, "https", null).join()).get(2L);
      assertThat(two.reachable()).as(two.error()).isTrue();
      assertThat(two.appliedIndex()).isEqualTo(10L);
    }
    try (var foreign = new ClusterStatusGatherer(ClusterCa.trusting(Optional.of(dir.resolve("other/ca.pem"))),
        ClusterStatusGatherer.Limits.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)))) {
      MemberStatus two = byId(foreign.gather(local, "https", null).join()).get(2L);
      assertThat(two.reachable()).isFalse();
      assertThat(two.error()).startsWith("TLS: ");
    }
    assertThatThrownBy(() -> ClusterCa.trusting(Optional.of(Files.writeString(dir.resolve("empty.pem"), ""))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("no certificate in");
  }

  private static void peerCerts(Path caDir, String... nodes) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of("bin", "lib", "peer-certs.sh").toAbsolutePath().toString(),
        caDir.toString()));
    command.addAll(List.of(nodes));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("peer-certs.sh: %s", output).isTrue();
  }

  /** The server side of node {@code id}: its PEM certificate and PKCS#8 EC key as a TLS context. */
  private static SSLContext serverTls(Path caDir, String id) throws Exception {
    Certificate[] chain;
    try (var in = Files.newInputStream(caDir.resolve("node-" + id + ".pem"))) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
    }
    String pem = Files.readString(caDir.resolve("node-" + id + ".key"));
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("node", key, new char[0], chain);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  // --- fake members -------------------------------------------------------------------------------

  private interface Answer {
    void handle(HttpExchange exchange) throws IOException;
  }

  private String member(Answer answer) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(serverThreads);
      server.createContext("/cluster", (HttpHandler) exchange -> {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "-" : auth);
        try (exchange) {
          answer.handle(exchange);
        }
      });
      server.start();
      servers.add(server);
      return "127.0.0.1:" + server.getAddress().getPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Answer answering(String body) {
    return exchange -> send(exchange, 200, body);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A member that hangs: until the test ends, and never longer than 10 s. */
  private void await() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Member {@code id}'s own /cluster JSON, as ClusterResponse writes it. */
  private static String view(long id, String role, long commit, long applied) {
    return "{\"self\":" + id + ",\"leader\":1,\"term\":5,\"commitIndex\":" + commit + ",\"appliedIndex\":" + applied
        + ",\"snapshotIndex\":0,\"membership\":\"voter\",\"logFirstIndex\":1,\"logLastIndex\":" + commit
        + ",\"logEntries\":" + commit + ",\"snapshotsInstalled\":0,\"dataBytes\":" + id * 1000
        + ",\"members\":[{\"id\":1,\"role\":\"leader\",\"peer\":\"h:9090\"},{\"id\":" + id + ",\"role\":\"" + role
        + "\",\"peer\":\"h:909" + id + "\"}]}";
  }

  /** Node 1's own view (the leader, term 5) with the given members' HTTP addresses. */
  private static ClusterResponse local(long commit, long applied, Map<Long, String> others) {
    List<MemberResponse> members = new ArrayList<>();
    members.add(new MemberResponse(1, "leader", "h:9090", "127.0.0.1:1", commit));
    others.forEach((id, http) -> members.add(new MemberResponse(id, "follower", "h:" + id, http, 0L)));
    return withMembers(new ClusterResponse(1, 1L, 5, commit, applied, 0, "voter", 1L, commit, commit, 0L, 4096L,
        List.of()), members);
  }

  private static ClusterResponse withMembers(ClusterResponse v, List<MemberResponse> members) {
    return new ClusterResponse(v.self(), v.leader(), v.term(), v.commitIndex(), v.appliedIndex(), v.snapshotIndex(),
        v.membership(), v.logFirstIndex(), v.logLastIndex(), v.logEntries(), v.snapshotsInstalled(), v.dataBytes(),
        members);
  }

  private static Map<Long, MemberStatus> byId(ClusterStatusResponse status) {
    return status.members().stream().collect(Collectors.toMap(MemberStatus::id, Function.identity()));
  }
}
