package io.raftkv.api.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.watch.WatchEvent;
import io.raftkv.kv.watch.WatchHub;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many watchers on the real delivery pool: all get every event in order, on the two delivery threads only. */
class WatchStreamsTest {

  static final class CountingSink implements EventSink {
    final AtomicInteger events = new AtomicInteger();
    volatile long lastRevision;
    volatile boolean outOfOrder;
    volatile boolean closed;
    final Set<String> threads;

    CountingSink(Set<String> threads) {
      this.threads = threads;
    }

    @Override
    public boolean send(String name, Long id, String data) {
      threads.add(Thread.currentThread().getName());
      if (id == null) return true; // heartbeat
      if (id <= lastRevision) outOfOrder = true;
      lastRevision = id;
      events.incrementAndGet();
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void hundredWatchersShareTwoDeliveryThreads() throws Exception {
    WatchStreams streams = new WatchStreams();
    streams.hub = new WatchHub(new WatchHub.Limits(10_000, 64L << 20, 2_000, 200));
    streams.heartbeatMs = 1000;
    streams.deliveryThreads = 2;
    streams.writeTimeoutMs = 1000;
    streams.init();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<CountingSink> sinks = new ArrayList<>();
    try {
      for (int i = 0; i < 100; i++) {
        CountingSink sink = new CountingSink(threads);
        sinks.add(sink);
        streams.open(new WatchParams.Selection(k -> true, OptionalLong.of(0)), sink);
      }
      for (long r = 1; r <= 1000; r++) streams.hub.publish(new WatchEvent(r, "k" + (r % 10), "v"));
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (System.nanoTime() < deadline && sinks.stream().anyMatch(s -> s.events.get() < 1000)) Thread.sleep(10);
      assertThat(sinks).allSatisfy(s -> {
        assertThat(s.events.get()).isEqualTo(1000);
        assertThat(s.outOfOrder).isFalse();
      });
      assertThat(threads).allMatch(t -> t.startsWith("raftkv-watch-delivery-")).hasSizeLessThanOrEqualTo(2);
      assertThat(streams.openStreams()).isEqualTo(100);
    } finally {
      streams.stop();
    }
    assertThat(sinks).allMatch(s -> s.closed);
    assertThat(streams.hub.watcherCount()).isZero();
  }
}
