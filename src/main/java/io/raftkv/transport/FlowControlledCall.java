package io.raftkv.transport;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client side of a client-streaming call that writes only when gRPC says the transport can take
 * more ({@code isReady()}), so a slow receiver bounds the sender's memory instead of growing gRPC's
 * buffers. One thread writes; gRPC threads signal readiness and termination.
 */
final class FlowControlledCall<ReqT, RespT> implements ClientResponseObserver<ReqT, RespT> {

  private final CompletableFuture<RespT> response = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile ClientCallStreamObserver<ReqT> requests;
  private volatile RespT lastResponse;

  @Override
  public void beforeStart(ClientCallStreamObserver<ReqT> requestStream) {
    this.requests = requestStream;
    requestStream.setOnReadyHandler(this::signal);
  }

  @Override
  public void onNext(RespT value) {
    lastResponse = value;
  }

  @Override
  public void onError(Throwable t) {
    response.completeExceptionally(t);
    signal();
  }

  @Override
  public void onCompleted() {
    response.complete(lastResponse);
    signal();
  }

  /**
   * Waits until the call can take a message. Returns false when the call has ended or the wait timed
   * out; {@link #isTerminated()} tells which.
   */
  boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (!response.isDone() && !requests.isReady()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        changed.awaitNanos(left);
      }
      return !response.isDone();
    } finally {
      lock.unlock();
    }
  }

  void send(ReqT message) {
    requests.onNext(message);
  }

  void halfClose() {
    requests.onCompleted();
  }

  /** Aborts the call if it is still running (no-op afterwards). */
  void cancel(String reason) {
    if (!response.isDone()) requests.cancel(reason, null);
  }

  boolean isTerminated() {
    return response.isDone();
  }

  /** Completes with the receiver's (last) reply, or exceptionally with the call's failure. */
  CompletableFuture<RespT> response() {
    return response;
  }

  private void signal() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
