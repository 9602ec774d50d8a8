package io.raftkv.api.cluster;

import io.raftkv.api.cluster.ClusterStatusResponse.MemberStatus;
import io.raftkv.kv.KvException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * {@code GET /cluster/status} (docs/api.md "Cluster"): the answering node's own view, taken locally,
 * and every other member's {@code GET /cluster}, asked over HTTP in parallel with the caller's
 * {@code Authorization} header. Everything is bounded so that a page polling every second keeps
 * updating while a member is down or answers garbage: each member gets {@link Limits#requestTimeout}
 * in all, its answer is read up to {@link Limits#maxAnswerBytes}, at most {@link Limits#maxMembers} are
 * asked, and at most {@link Limits#maxGathers} gathers run at once (more: 503). A member that cannot be
 * read is {@code reachable: false} with an {@code error}; the gather itself never fails. The Raft loop
 * is not involved: each member answers from its own snapshot of its state.
 */
public final class ClusterStatusGatherer implements AutoCloseable {

  /**
   * @param connectTimeout time to open a connection (a stopped host, a dropped SYN)
   * @param requestTimeout the whole exchange with one member, connection included; also the gather's bound
   */
  public record Limits(Duration connectTimeout, Duration requestTimeout, int maxAnswerBytes, int maxMembers,
      int maxGathers) {
    /** Below the page's 1 s poll, above a loaded loopback round trip (a few ms). */
    public static final Limits DEFAULT = new Limits(Duration.ofMillis(500), Duration.ofMillis(800), 64 << 10, 16, 8);

    public Limits {
      if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.compareTo(connectTimeout) < 0) {
        throw new IllegalArgumentException("need 0 < connectTimeout <= requestTimeout");
      }
      if (maxAnswerBytes < 1 || maxMembers < 1 || maxGathers < 1) {
        throw new IllegalArgumentException("maxAnswerBytes, maxMembers and maxGathers must be >= 1");
      }
    }

    public Limits withTimeouts(Duration connect, Duration request) {
      return new Limits(connect, request, maxAnswerBytes, maxMembers, maxGathers);
    }

    public Limits withMaxGathers(int gathers) {
      return new Limits(connectTimeout, requestTimeout, maxAnswerBytes, maxMembers, gathers);
    }
  }

  /** What became of asking one member: its view, or why there is none. */
  private record Outcome(ClusterResponse view, String error) {
    static Outcome failed(String error) {
      return new Outcome(null, error.length() > 200 ? error.substring(0, 200) + "..." : error);
    }
  }

  private final Limits limits;
  private final ExecutorService executor;
  private final HttpClient http;
  private final Semaphore gathers;

  /** {@code tls}: the context for https members (io.raftkv.node.ClusterCa, the cluster CA). */
  public ClusterStatusGatherer(SSLContext tls, Limits limits) {
    this.limits = limits;
    this.gathers = new Semaphore(limits.maxGathers());
    // The client's own work (parsing, completing futures) is short; two threads serve every gather.
    this.executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "raftkv-cluster-status");
      t.setDaemon(true);
      return t;
    });
    // HTTP/1.1 only: Payara's h2c upgrade garbles bodies (docs/api.md "HTTP versions").
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(limits.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER).sslContext(tls).executor(executor).build();
  }

  /**
   * Completes (never exceptionally) within about {@link Limits#requestTimeout}.
   *
   * @param local         the answering node's own view
   * @param scheme        {@code http} or {@code https}: how members whose address has no scheme are asked
   *                      (the request's own scheme: a {@code --secure} cluster serves https everywhere)
   * @param authorization the caller's {@code Authorization} header, forwarded as is; null: none
   * @throws KvException.Unavailable {@link Limits#maxGathers} gathers are running already
   */
  public CompletableFuture<ClusterStatusResponse> gather(ClusterResponse local, String scheme, String authorization) {
    if (!gathers.tryAcquire()) {
      throw new KvException.Unavailable("too many GET /cluster/status at once (" + limits.maxGathers() + ")", 1);
    }
    try {
      List<ClusterResponse.MemberResponse> members = local.members().stream()
          .sorted(Comparator.comparingLong(ClusterResponse.MemberResponse::id)).toList();
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>(members.size());
      for (int i = 0; i < members.size(); i++) {
        outcomes.add(i >= limits.maxMembers()
            ? CompletableFuture.completedFuture(Outcome.failed("not asked: over " + limits.maxMembers() + " members"))
            : ask(members.get(i), local, scheme, authorization));
      }
      return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
          .thenApply(done -> assemble(local, members, outcomes.stream().map(CompletableFuture::join).toList()))
          .whenComplete((answer, failure) -> gathers.release());
    } catch (RuntimeException e) {
      gathers.release();
      throw e;
    }
  }

  private CompletableFuture<Outcome> ask(ClusterResponse.MemberResponse m, ClusterResponse local, String scheme,
      String authorization) {
    if (m.id() == local.self()) return CompletableFuture.completedFuture(new Outcome(local, null));
    if (m.http() == null || m.http().isBlank()) {
      return CompletableFuture.completedFuture(Outcome.failed("no HTTP address known for this member"));
    }
    HttpRequest request;
    try {
      String base = m.http().contains("://") ? m.http() : scheme + "://" + m.http();
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + "/cluster"))
          .timeout(limits.requestTimeout()).header("Accept", "application/json").GET();
      if (authorization != null) b.header("Authorization", authorization);
      request = b.build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(Outcome.failed("bad HTTP address " + m.http() + ": " + e.getMessage()));
    }
    BoundedBody body = new BoundedBody(limits.maxAnswerBytes());
    long ms = limits.requestTimeout().toMillis();
    return http.sendAsync(request, info -> body)
        .handle((response, failure) -> failure == null ? read(m.id(), response) : Outcome.failed(describe(failure)))
        .completeOnTimeout(Outcome.failed("no answer within " + ms + " ms"), ms, TimeUnit.MILLISECONDS)
        .whenComplete((outcome, failure) -> body.abort("no longer wanted")); // a body still arriving: close it
  }

  private static Outcome read(long id, HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) return Outcome.failed("answered HTTP " + response.statusCode());
    try {
      ClusterResponse view = MemberViewJson.parse(response.body());
      return view.self() == id ? new Outcome(view, null) : Outcome.failed("answered as node " + view.self());
    } catch (IllegalArgumentException e) {
      return Outcome.failed("unreadable answer: " + e.getMessage());
    }
  }

  /** A short reason for the page: refused, timed out, TLS, over the size limit. */
  static String describe(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HttpConnectTimeoutException) return "connect timed out";
    if (t instanceof HttpTimeoutException) return "no answer in time";
    if (t instanceof ConnectException) return "connection refused";
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return t instanceof SSLException ? "TLS: " + message : message;
  }

  private static ClusterStatusResponse assemble(ClusterResponse local, List<ClusterResponse.MemberResponse> members,
      List<Outcome> outcomes) {
    long highestCommit = outcomes.stream().filter(o -> o.view() != null)
        .mapToLong(o -> o.view().commitIndex()).max().orElse(0);
    List<MemberStatus> statuses = new ArrayList<>(members.size());
    for (int i = 0; i < members.size(); i++) {
      ClusterResponse.MemberResponse m = members.get(i);
      Outcome o = outcomes.get(i);
      statuses.add(o.view() == null ? MemberStatus.unreachable(m.id(), m.http(), o.error())
          : MemberStatus.reachable(m.id(), m.http(), o.view(), highestCommit));
    }
    return new ClusterStatusResponse(local.self(), local.leader(), local.term(), statuses);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
