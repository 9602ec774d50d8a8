package io.raftkv.transport;

import io.raftkv.raft.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A per-peer send queue bounded both in messages and in bytes. {@link #offer} never waits for space:
 * a message that does not fit is refused so the Raft loop is never blocked by a slow peer.
 */
final class OutboundQueue {

  /** Rough per-message cost beyond entry payloads (header fields, framing). */
  static final int MESSAGE_OVERHEAD_BYTES = 64;

  private final int maxMessages;
  private final long maxBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<Message> messages = new ArrayDeque<>();
  private long bytes;

  OutboundQueue(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  static long estimatedSize(Message m) {
    return MESSAGE_OVERHEAD_BYTES + m.entryBytes() + m.context().length;
  }

  /** Appends {@code m} unless that would exceed a bound; returns whether it was queued. */
  boolean offer(Message m) {
    long size = estimatedSize(m);
    lock.lock();
    try {
      // An empty queue always accepts one message so that an oversized message is not refused forever.
      boolean fits = messages.isEmpty()
          || (messages.size() < maxMessages && bytes + size <= maxBytes);
      if (!fits) return false;
      messages.addLast(m);
      bytes += size;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes the messages at the head whose estimated sizes add up to at most {@code maxBatchBytes}
   * (always at least one), waiting up to {@code timeout} for the first. Returns an empty list on timeout.
   */
  List<Message> pollBatch(long maxBatchBytes, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (messages.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return List.of();
        notEmpty.awaitNanos(left);
      }
      List<Message> batch = new ArrayList<>();
      long batchBytes = 0;
      while (!messages.isEmpty()) {
        long size = estimatedSize(messages.peekFirst());
        if (!batch.isEmpty() && batchBytes + size > maxBatchBytes) break;
        batch.add(messages.pollFirst());
        batchBytes += size;
        bytes -= size;
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Discards everything queued (peer removed or transport closed); returns how many were dropped. */
  int clear() {
    lock.lock();
    try {
      int n = messages.size();
      messages.clear();
      bytes = 0;
      return n;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }
}
