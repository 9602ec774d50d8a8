package io.raftkv.api.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.watch.WatchEvent;
import io.raftkv.kv.watch.WatchHub;
import io.raftkv.kv.watch.Watcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Delivery of one stream on a manually run executor: order, heartbeats, cancellation, yielding. */
class WatchSessionTest {

  /** Records "name id data" lines; can pretend the client went away. */
  static final class RecordingSink implements EventSink {
    final List<String> lines = new ArrayList<>();
    boolean gone;
    boolean closed;

    @Override
    public boolean send(String name, Long id, String data) {
      if (gone) return false;
      lines.add(name + " " + id + " " + data);
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final Executor executor = tasks::add;
  private final WatchHub hub = new WatchHub(new WatchHub.Limits(1000, 1 << 20, 4, 10));
  private final RecordingSink sink = new RecordingSink();
  private final List<WatchSession> closed = new ArrayList<>();

  private WatchSession open(long after) throws Exception {
    Watcher w = hub.register(after, k -> k.startsWith("p/"));
    WatchSession s = new WatchSession(w, sink, executor, c -> {
      hub.unregister(w);
      closed.add(c);
    });
    s.start();
    return s;
  }

  private int runTasks() {
    int n = 0;
    for (Runnable t; n < 10_000 && (t = tasks.poll()) != null; n++) t.run();
    return n;
  }

  @Test
  void replayThenLiveEventsInOrderWithIdsAndOneQueuedTaskAtATime() throws Exception {
    hub.publish(new WatchEvent(1, "p/a", "1"));
    hub.publish(new WatchEvent(2, "q/x", "1"));
    open(0);
    hub.publish(new WatchEvent(3, "p/a", null));
    hub.publish(new WatchEvent(4, "p/b", "2"));
    assertThat(tasks).hasSize(1); // signals while a drain is pending do not queue more
    runTasks();
    assertThat(sink.lines).containsExactly(
        "put 1 {\"key\":\"p/a\",\"value\":\"1\",\"revision\":1}",
        "delete 3 {\"key\":\"p/a\",\"value\":null,\"revision\":3}",
        "put 4 {\"key\":\"p/b\",\"value\":\"2\",\"revision\":4}");
    hub.publish(new WatchEvent(5, "p/c", "3"));
    runTasks();
    assertThat(sink.lines).hasSize(4).last().asString().startsWith("put 5 ");
  }

  @Test
  void anEmptyStreamOpensWithAHeartbeatAndBeatsOnlyWhenIdle() throws Exception {
    WatchSession s = open(0);
    runTasks();
    assertThat(sink.lines).containsExactly("heartbeat null {}");
    hub.publish(new WatchEvent(1, "p/a", "1"));
    s.heartbeat();
    runTasks(); // an event went out: no heartbeat needed
    assertThat(sink.lines).hasSize(2);
    s.heartbeat();
    runTasks();
    assertThat(sink.lines).hasSize(3).last().isEqualTo("heartbeat null {}");
  }

  @Test
  void slowWatcherGetsCancelledEventWhoseIdResumesExactly() throws Exception {
    open(0);
    for (long r = 1; r <= 6; r++) hub.publish(new WatchEvent(r, "p/a", "v" + r)); // queue holds 4
    runTasks();
    assertThat(sink.lines).hasSize(5);
    assertThat(sink.lines.get(3)).startsWith("put 4 ");
    assertThat(sink.lines.get(4)).startsWith("cancelled 4 {\"reason\":\"slow watcher")
        .endsWith("\"resumeRevision\":5}");
    assertThat(sink.closed).isTrue();
    assertThat(closed).hasSize(1);
    assertThat(hub.watcherCount()).isZero();
  }

  @Test
  void snapshotInstallCancelsWithTheLastDeliveredRevision() throws Exception {
    open(0);
    hub.publish(new WatchEvent(1, "p/a", "1"));
    hub.resetAt(40);
    runTasks();
    assertThat(sink.lines).hasSize(2);
    assertThat(sink.lines.get(1)).startsWith("cancelled 1 ").contains("snapshot installed at revision 40");
  }

  @Test
  void aGoneClientEndsTheSessionAndFreesItsWatcher() throws Exception {
    WatchSession s = open(0);
    sink.gone = true;
    s.heartbeat();
    runTasks();
    assertThat(s.isClosed()).isTrue();
    assertThat(hub.watcherCount()).isZero();
    hub.publish(new WatchEvent(1, "p/a", "1"));
    assertThat(runTasks()).isZero();
  }

  @Test
  void aLongBacklogIsSentInBatchesThatYieldTheThread() throws Exception {
    WatchHub big = new WatchHub(new WatchHub.Limits(10_000, 64L << 20, 10, 10));
    for (long r = 1; r <= WatchSession.BATCH * 2 + 5; r++) big.publish(new WatchEvent(r, "k", "v"));
    WatchSession s = new WatchSession(big.register(0, k -> true), sink, executor, c -> {});
    s.start();
    tasks.poll().run();
    assertThat(sink.lines).hasSize(WatchSession.BATCH);
    assertThat(tasks).hasSize(1); // requeued behind other sessions
    runTasks();
    assertThat(sink.lines).hasSize(WatchSession.BATCH * 2 + 5);
  }

  @Test
  void stopEndsTheStream() throws Exception {
    WatchSession s = open(0);
    runTasks();
    s.stop();
    runTasks();
    assertThat(sink.closed).isTrue();
    assertThat(hub.watcherCount()).isZero();
  }
}
