package io.raftkv.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The clients of a soak or crash/restart run, acting as an application would: each issues one
 * operation after another (put, linearizable or lease get, delete on a few shared keys, and puts of
 * fresh keys that are checked one by one at the end) to a random member. When the member gives a
 * definite "nothing done" answer (connection refused, 503, a container page while it starts) the
 * client tries the next member, at most once each; an answer of unknown outcome (timeout, 504) ends
 * the operation. Every attempt is recorded in the {@link HistoryRecorder}; each operation's overall
 * success is recorded as a {@link Attempted} for availability, stamped with wall-clock times.
 */
final class TortureClients implements AutoCloseable {
  /** Weights (summing to 100) of the operation kinds, and how many shared keys there are. */
  record Mix(int sharedKeys, int fresh, int put, int get, int lease, int delete) {
    Mix {
      if (fresh + put + get + lease + delete != 100 || sharedKeys < 1) {
        throw new IllegalArgumentException("weights must sum to 100 and there must be a shared key: " + this);
      }
    }
  }

  /** One operation as the application saw it: when it ran and whether some member answered it. */
  record Attempted(long startMillis, long endMillis, boolean ok, int attempts) {}

  static final String SHARED_PREFIX = "shared-";
  static final String FRESH_PREFIX = "fresh-";
  private static final Duration PAUSE_BETWEEN_OPS = Duration.ofMillis(20);
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofMillis(100);

  private final Supplier<List<URI>> members;
  private final Mix mix;
  private final HistoryRecorder history;
  private final HttpKvClient client = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(2));
  private final List<Attempted> attempted = new ArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final long deadlineNanos;

  private TortureClients(Supplier<List<URI>> members, Mix mix, HistoryRecorder history, Duration maxTime) {
    this.members = members;
    this.mix = mix;
    this.history = history;
    this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
  }

  static TortureClients start(Supplier<List<URI>> members, Mix mix, HistoryRecorder history, int clients,
      Duration maxTime, long seed) {
    TortureClients c = new TortureClients(members, mix, history, maxTime);
    for (int i = 1; i <= clients; i++) {
      int id = i;
      Random random = new Random(seed * 31 + id);
      Thread t = new Thread(() -> c.run(id, random), "torture-client-" + id);
      t.setDaemon(true);
      c.threads.add(t);
      t.start();
    }
    return c;
  }

  static String sharedKey(int i) {
    return SHARED_PREFIX + i;
  }

  List<String> sharedKeys() {
    return java.util.stream.IntStream.range(0, mix.sharedKeys()).mapToObj(TortureClients::sharedKey).toList();
  }

  List<Attempted> attempted() {
    synchronized (attempted) {
      return List.copyOf(attempted);
    }
  }

  private void run(int clientId, Random random) {
    for (int seq = 1; !stopped.get() && System.nanoTime() < deadlineNanos; seq++) {
      List<URI> live = members.get();
      if (live.isEmpty()) {
        ClusterHarness.sleep(PAUSE_AFTER_FAILURE);
        continue;
      }
      long start = System.currentTimeMillis();
      int first = random.nextInt(live.size());
      int dice = random.nextInt(100);
      String key = sharedKey(random.nextInt(mix.sharedKeys()));
      KvResult result = null;
      int attempts = 0;
      while (attempts < live.size()) {
        URI node = live.get((first + attempts) % live.size());
        attempts++;
        result = once(clientId, seq, dice, key, node);
        if (result.outcome() != KvResult.Outcome.FAILED) break;
      }
      boolean ok = result.outcome() == KvResult.Outcome.OK || result.outcome() == KvResult.Outcome.NOT_FOUND;
      synchronized (attempted) {
        attempted.add(new Attempted(start, System.currentTimeMillis(), ok, attempts));
      }
      ClusterHarness.sleep(ok ? PAUSE_BETWEEN_OPS : PAUSE_AFTER_FAILURE);
    }
  }

  private KvResult once(int clientId, int seq, int dice, String key, URI node) {
    int bound = mix.fresh();
    if (dice < bound) {
      String fresh = FRESH_PREFIX + clientId + "-" + seq;
      return history.record(clientId, HistoryRecorder.Kind.PUT, fresh, "v" + seq, node, () -> client.put(node, fresh, "v" + seq));
    }
    if (dice < (bound += mix.put())) {
      String value = "c" + clientId + "-" + seq;
      return history.record(clientId, HistoryRecorder.Kind.PUT, key, value, node, () -> client.put(node, key, value));
    }
    if (dice < (bound += mix.get())) {
      return history.record(clientId, HistoryRecorder.Kind.GET, key, null, node, () -> client.get(node, key, "linearizable"));
    }
    if (dice < bound + mix.lease()) {
      return history.record(clientId, HistoryRecorder.Kind.GET, key, null, node, () -> client.get(node, key, "lease"));
    }
    return history.record(clientId, HistoryRecorder.Kind.DELETE, key, null, node, () -> client.delete(node, key));
  }

  /** Stops the clients and waits for their last operations (each attempt bounded by the client's timeouts). */
  @Override
  public void close() {
    stopped.set(true);
    for (Thread t : threads) {
      try {
        t.join(Duration.ofSeconds(20).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) throw new IllegalStateException(t.getName() + " did not stop");
    }
  }
}
