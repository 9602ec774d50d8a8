package io.raftkv.node;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** Wakes the loop thread when work arrives; a wake-up before the wait is not lost. */
final class LoopSignal {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private boolean pending;

  void signal() {
    lock.lock();
    try {
      pending = true;
      arrived.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until signalled or {@code nanos} pass; clears the signal. */
  void await(long nanos) throws InterruptedException {
    lock.lock();
    try {
      long left = nanos;
      while (!pending && left > 0) left = arrived.awaitNanos(left);
      pending = false;
    } finally {
      lock.unlock();
    }
  }

  static long millisToNanos(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
