package io.raftkv.api.watch;

import io.raftkv.api.ApiLimits;
import io.raftkv.kv.KvException;
import io.raftkv.kv.watch.HistoryCompactedException;
import io.raftkv.kv.watch.TooManyWatchersException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /watch}: the changes this node applies, as server-sent events ({@code id:} revision,
 * {@code event:} put or delete, {@code data:} JSON), from a revision on or from now; see docs/api.md,
 * section "Watch". Any node serves it from its own applied state. The request thread only registers
 * the stream ({@link WatchStreams}); bad parameters are 400, a revision older than the kept history
 * 410 naming the oldest one kept, too many watchers 503 + Retry-After, all JSON.
 */
@ApplicationScoped
@Path("watch")
public class WatchResource {

  /** Seconds a client should wait before trying again when the node has no room for another watcher. */
  static final int RETRY_AFTER_S = 2;

  private WatchStreams streams;
  private ApiLimits limits;

  /** For the CDI client proxy; public because RESTEasy (WildFly) refuses a resource without one (ResourceConstructorsTest). */
  public WatchResource() {}

  @Inject
  public WatchResource(WatchStreams streams, ApiLimits limits) {
    this.streams = streams;
    this.limits = limits;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void watch(@QueryParam("prefix") String prefix, @QueryParam("key") String key,
      @QueryParam("fromRevision") String fromRevision, @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink, @Context Sse sse) throws HistoryCompactedException {
    WatchParams.Selection selection = new WatchParams(prefix, key, fromRevision, lastEventId).validate(limits);
    try {
      streams.open(selection, new SseEventSinkOutput(sink, sse, streams.writeTimeoutMs()));
    } catch (TooManyWatchersException e) {
      throw new KvException.Unavailable(e.getMessage(), RETRY_AFTER_S);
    }
  }
}
