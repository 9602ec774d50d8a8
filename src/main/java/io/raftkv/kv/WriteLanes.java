package io.raftkv.kv;

import java.security.SecureRandom;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Client request ids for writes. The state machine remembers only a small window of results per client
 * id and treats a sequence far below the newest as a stale retry; a single id shared by thousands of
 * concurrent writes (which reach the log out of order through forwarding) would trip that. So each
 * write borrows a lane (a client id with its own sequence) that carries one write at a time: its
 * sequences reach the log in order, a retry of that write reuses its (id, sequence), and the number of
 * ids is bounded by the peak number of concurrent writes on this node.
 */
final class WriteLanes {
  private final Queue<Lane> idle = new ConcurrentLinkedQueue<>();
  private final SecureRandom random = new SecureRandom();

  /** One client id; used by one write at a time, so its sequence needs no synchronization. */
  static final class Lane {
    final long clientId;
    private long sequence;

    private Lane(long clientId) {
      this.clientId = clientId;
    }

    long nextSequence() {
      return ++sequence;
    }
  }

  Lane acquire() {
    Lane lane = idle.poll();
    return lane != null ? lane : new Lane(newClientId());
  }

  void release(Lane lane) {
    idle.add(lane);
  }

  private long newClientId() {
    long id;
    synchronized (random) {
      do {
        id = random.nextLong() & Long.MAX_VALUE;
      } while (id == 0);
    }
    return id;
  }
}
