package io.raftkv.api.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code maxBytes}: a longer one fails the body and closes the
 * connection (cancelling the subscription) instead of buffering whatever a member sends. {@link #abort}
 * does the same from outside, for an answer that stops half way.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int maxBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private Flow.Subscription subscription;

  BoundedBody(int maxBytes) {
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be >= 1");
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (result.isDone()) {
      s.cancel(); // aborted before the body began
    } else {
      s.request(Long.MAX_VALUE); // bounded by maxBytes below, not by demand
    }
  }

  @Override
  public synchronized void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) return;
    for (ByteBuffer b : buffers) {
      if (bytes.size() + (long) b.remaining() > maxBytes) {
        fail(new IOException("answer longer than " + maxBytes + " bytes"));
        return;
      }
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }
  }

  @Override
  public synchronized void onError(Throwable failure) {
    result.completeExceptionally(failure);
  }

  @Override
  public synchronized void onComplete() {
    result.complete(bytes.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  /** Ends the body now (the caller stopped waiting); a no-op once it is complete. */
  synchronized void abort(String why) {
    fail(new IOException(why));
  }

  private void fail(IOException why) {
    if (result.completeExceptionally(why) && subscription != null) subscription.cancel();
  }
}
