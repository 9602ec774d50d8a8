package io.raftkv.api.watch;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link EventSink} on a JAX-RS {@link SseEventSink}. A write waits at most {@code writeTimeoutMs}
 * for its stage; Jersey's sink writes in the calling thread, so a client that stops reading holds one
 * delivery thread until the container's socket write gives up, and its watcher's queue fills meanwhile.
 */
final class SseEventSinkOutput implements EventSink {
  private static final Logger LOG = Logger.getLogger(SseEventSinkOutput.class.getName());

  private final SseEventSink sink;
  private final Sse sse;
  private final long writeTimeoutMs;

  SseEventSinkOutput(SseEventSink sink, Sse sse, long writeTimeoutMs) {
    this.sink = sink;
    this.sse = sse;
    this.writeTimeoutMs = writeTimeoutMs;
  }

  @Override
  public boolean send(String name, Long id, String data) {
    if (sink.isClosed()) return false;
    OutboundSseEvent.Builder event = sse.newEventBuilder().name(name).data(String.class, data);
    if (id != null) event.id(Long.toString(id));
    try {
      sink.send(event.build()).toCompletableFuture().get(writeTimeoutMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception gone) { // the client closed, the write failed or timed out
      LOG.log(Level.FINE, "watch stream ended by a failed write", gone);
      return false;
    }
  }

  @Override
  public void close() {
    try {
      sink.close();
    } catch (RuntimeException alreadyGone) {
      LOG.log(Level.FINE, "closing a watch stream", alreadyGone);
    }
  }
}
