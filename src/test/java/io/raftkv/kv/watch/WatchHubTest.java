package io.raftkv.kv.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WatchHubTest {

  private static List<Long> drain(Watcher w) throws InterruptedException {
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      WatchEvent e = w.next(1, TimeUnit.MILLISECONDS);
      if (e == null) break;
      revs.add(e.revision());
    }
    return revs;
  }

  @Test
  void historyEvictsByCountAndReportsOldestKeptRevision() {
    WatchHistory h = new WatchHistory(3, 1 << 20);
    for (long r = 1; r <= 5; r++) h.append(new WatchEvent(r, "k" + r, "v"));
    assertThat(h.size()).isEqualTo(3);
    assertThat(h.oldestRevision()).isEqualTo(3);
  }

  @Test
  void historyEvictsByBytes() {
    WatchHistory h = new WatchHistory(1000, 500);
    for (long r = 1; r <= 20; r++) h.append(new WatchEvent(r, "key", "x".repeat(50)));
    assertThat(h.bytes()).isLessThanOrEqualTo(500);
    assertThat(h.oldestRevision()).isEqualTo(21 - h.size());
  }

  @Test
  void partlyEvictedRevisionIsNoLongerAvailable() throws Exception {
    WatchHistory h = new WatchHistory(2, 1 << 20);
    h.append(new WatchEvent(7, "a", "1"));
    h.append(new WatchEvent(7, "b", "2"));
    h.append(new WatchEvent(8, "c", "3")); // evicts (7,a): revision 7 is incomplete now
    assertThat(h.oldestRevision()).isEqualTo(8);
    assertThatThrownBy(() -> h.after(6, k -> true)).isInstanceOf(HistoryCompactedException.class);
    assertThat(h.after(7, k -> true)).extracting(WatchEvent::key).containsExactly("c");
  }

  @Test
  void tooOldRevisionGives410WithOldestAvailable() throws Exception {
    WatchHub hub = new WatchHub(new WatchHub.Limits(3, 1 << 20, 10, 10));
    for (long r = 1; r <= 10; r++) hub.publish(new WatchEvent(r, "k", "v" + r));
    assertThatThrownBy(() -> hub.register(5, k -> true))
        .isInstanceOfSatisfying(HistoryCompactedException.class, e -> assertThat(e.oldestRevision()).isEqualTo(8));
    assertThat(drain(hub.register(7, k -> true))).containsExactly(8L, 9L, 10L);
  }

  @Test
  void replayThenLiveWithoutGapOrDuplicate() throws Exception {
    WatchHub hub = new WatchHub(new WatchHub.Limits(100, 1 << 20, 100, 10));
    for (long r = 1; r <= 5; r++) hub.publish(new WatchEvent(r, "p/" + r, "v"));
    Watcher w = hub.register(2, k -> k.startsWith("p/"));
    hub.publish(new WatchEvent(6, "other", "v"));
    hub.publish(new WatchEvent(7, "p/7", null));
    List<WatchEvent> got = new ArrayList<>();
    for (WatchEvent e; (e = w.next(1, TimeUnit.MILLISECONDS)) != null; ) got.add(e);
    assertThat(got).extracting(WatchEvent::revision).containsExactly(3L, 4L, 5L, 7L);
    assertThat(got.get(3).isDelete()).isTrue();
  }

  @Test
  void resumeAfterLastEventIdContinuesExactly() throws Exception {
    WatchHub hub = new WatchHub(new WatchHub.Limits(100, 1 << 20, 100, 10));
    Watcher first = hub.register(0, k -> true);
    for (long r = 1; r <= 6; r++) hub.publish(new WatchEvent(r, "k", "v"));
    List<Long> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) seen.add(first.next(1, TimeUnit.MILLISECONDS).revision());
    hub.unregister(first); // the client disconnects after revision 3
    Watcher second = hub.register(seen.get(2), k -> true);
    seen.addAll(drain(second));
    assertThat(seen).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void slowWatcherIsCancelledAndResumesWithoutLoss() throws Exception {
    WatchHub hub = new WatchHub(new WatchHub.Limits(1000, 1 << 20, 4, 10));
    Watcher slow = hub.register(0, k -> true);
    hub.publish(new WatchEvent(1, "a", "1"));
    hub.publish(new WatchEvent(2, "a", "2"));
    hub.publish(new WatchEvent(3, "a", "3"));
    hub.publish(new WatchEvent(4, "a", "4")); // txn: revision 4 has two keys
    hub.publish(new WatchEvent(4, "b", "4")); // queue full: cancelled mid-revision 4
    hub.publish(new WatchEvent(5, "a", "5"));
    assertThat(slow.cancelReason()).contains("slow watcher");
    assertThat(slow.resumeRevision()).isEqualTo(4);
    assertThat(drain(slow)).containsExactly(1L, 2L, 3L); // partial revision 4 withheld
    hub.unregister(slow);
    Watcher again = hub.register(slow.resumeRevision() - 1, k -> true);
    assertThat(drain(again)).containsExactly(4L, 4L, 5L);
  }

  @Test
  void watcherLimitRejectsBeyondMax() throws Exception {
    WatchHub hub = new WatchHub(new WatchHub.Limits(10, 1 << 20, 10, 2));
    hub.register(0, k -> true);
    Watcher w = hub.register(0, k -> true);
    assertThatThrownBy(() -> hub.register(0, k -> true)).isInstanceOf(TooManyWatchersException.class);
    hub.unregister(w);
    assertThat(hub.register(0, k -> true)).isNotNull();
  }

  @Test
  void snapshotInstallRestartsHistoryAndCancelsWatchers() throws Exception {
    WatchHub hub = new WatchHub(WatchHub.Limits.DEFAULT);
    hub.publish(new WatchEvent(1, "k", "v"));
    Watcher w = hub.register(0, k -> true);
    hub.publish(new WatchEvent(2, "k", "v"));
    hub.resetAt(50);
    assertThat(w.cancelReason()).contains("snapshot");
    assertThat(w.resumeRevision()).isEqualTo(3);
    assertThat(drain(w)).containsExactly(1L, 2L);
    assertThat(hub.oldestRevision()).isEqualTo(51);
    assertThatThrownBy(() -> hub.register(10, k -> true)).isInstanceOf(HistoryCompactedException.class);
    assertThat(hub.register(50, k -> true)).isNotNull();
  }

  @Test
  void aNodeBehindTheResumeRevisionDeliversOnlyWhatComesAfterIt() throws Exception {
    // A client resumes after revision 5 on a node that has applied only up to 2 (a lagging follower,
    // a restarted node replaying its log): revisions 3..5 applied later must not be repeated.
    WatchHub hub = new WatchHub(new WatchHub.Limits(100, 1 << 20, 100, 10));
    for (long r = 1; r <= 2; r++) hub.publish(new WatchEvent(r, "k", "v" + r));
    Watcher w = hub.register(5, k -> true);
    for (long r = 3; r <= 7; r++) hub.publish(new WatchEvent(r, "k", "v" + r));
    assertThat(drain(w)).containsExactly(6L, 7L);
  }

  @Test
  void fromNowStartsAfterTheNewestChangeAndSignalsEachQueuedEvent() throws Exception {
    WatchHub hub = new WatchHub(new WatchHub.Limits(100, 1 << 20, 100, 10));
    for (long r = 1; r <= 3; r++) hub.publish(new WatchEvent(r, "k", "v" + r));
    Watcher w = hub.registerFromNow(k -> true);
    int[] signals = {0};
    w.onReady(() -> signals[0]++);
    assertThat(signals[0]).isEqualTo(1); // once at once, for the replay
    hub.publish(new WatchEvent(4, "k", "v4"));
    hub.publish(new WatchEvent(5, "other", "x"));
    assertThat(signals[0]).isEqualTo(3);
    assertThat(drain(w)).containsExactly(4L, 5L);
    hub.resetAt(9);
    assertThat(signals[0]).isEqualTo(4); // the cancellation is signalled too
    assertThat(hub.registerFromNow(k -> true).resumeRevision()).isEqualTo(Long.MAX_VALUE);
    assertThat(hub.oldestRevision()).isEqualTo(10);
  }
}
