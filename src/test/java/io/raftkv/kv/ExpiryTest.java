package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The node-local side of TTLs: deadlines from this node's apply time, and the leader's expire proposals. */
class ExpiryTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong nanos = new AtomicLong(5 * SECOND);
  private final ExpiryTracker tracker = new ExpiryTracker(nanos::get);

  @Test
  void keysAreDueEarliestDeadlineFirstOnceTheirTtlHasPassedSinceTheyWereApplied() {
    tracker.set("late", 1, 3);
    tracker.set("soon", 2, 1);
    tracker.set("never", 3, 0);
    nanos.addAndGet(SECOND - 1);
    assertThat(tracker.due(10, 1000)).isEmpty();
    nanos.addAndGet(1);
    assertThat(tracker.due(10, 1000)).containsExactly(new KvCommand.Due("soon", 2));
    nanos.addAndGet(2 * SECOND);
    assertThat(tracker.due(10, 1000)).containsExactly(new KvCommand.Due("soon", 2), new KvCommand.Due("late", 1));
    assertThat(tracker.due(1, 1000)).containsExactly(new KvCommand.Due("soon", 2));
    assertThat(tracker.due(10, 5)).containsExactly(new KvCommand.Due("soon", 2)); // "late" would pass 5 chars
    assertThat(tracker.size()).isEqualTo(2);
  }

  @Test
  void aRewriteRestartsTheCountdownAndAnExpiryOrDeleteForgetsTheKey() {
    tracker.set("k", 1, 2);
    nanos.addAndGet(SECOND);
    tracker.set("k", 4, 2);
    nanos.addAndGet(SECOND);
    assertThat(tracker.due(10, 1000)).isEmpty();
    nanos.addAndGet(SECOND);
    assertThat(tracker.due(10, 1000)).containsExactly(new KvCommand.Due("k", 4));
    tracker.remove("k");
    assertThat(tracker.due(10, 1000)).isEmpty();
    assertThat(tracker.size()).isZero();
  }

  @Test
  void readersSeeTheWholeSecondsRemainingRoundedUpAndAtLeastOne() {
    KvEntry entry = new KvEntry("k", "v", 7, 7, 1, 10);
    tracker.set("k", 7, 10);
    assertThat(tracker.withRemaining(entry).ttlSeconds()).isEqualTo(10);
    nanos.addAndGet(SECOND + 1);
    assertThat(tracker.withRemaining(entry).ttlSeconds()).isEqualTo(9);
    nanos.addAndGet(20 * SECOND);
    assertThat(tracker.withRemaining(entry).ttlSeconds()).isEqualTo(1); // due, the expire not yet applied
    KvEntry plain = new KvEntry("p", "v", 8, 8, 1);
    assertThat(tracker.withRemaining(plain)).isSameAs(plain);
  }

  @Test
  void theTickerProposesOnlyOnTheLeaderOneExpireAtATimeWithAtMostMaxKeys() {
    AtomicBoolean leader = new AtomicBoolean(false);
    List<KvCommand.Expire> proposed = new ArrayList<>();
    List<CompletableFuture<byte[]>> pending = new ArrayList<>();
    ExpiryTicker ticker = new ExpiryTicker(tracker, leader::get, bytes -> {
      proposed.add((KvCommand.Expire) KvCommandCodec.decode(bytes));
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    });
    int keys = KvCommand.Expire.MAX_KEYS + 5;
    for (int i = 0; i < keys; i++) tracker.set(String.format("k%04d", i), i + 1, 1);
    nanos.addAndGet(SECOND);
    assertThat(ticker.tick()).isNull(); // a follower proposes nothing
    leader.set(true);
    assertThat(ticker.tick()).isNotNull();
    assertThat(ticker.tick()).isNull(); // the first one is still in flight
    assertThat(proposed).hasSize(1);
    assertThat(proposed.get(0).keys()).hasSize(KvCommand.Expire.MAX_KEYS)
        .startsWith(new KvCommand.Due("k0000", 1));
    pending.get(0).completeExceptionally(new RuntimeException("lost leadership")); // not applied: proposed again
    assertThat(ticker.tick()).isNotNull();
    assertThat(proposed.get(1)).isEqualTo(proposed.get(0));
    ticker.close();
  }

  @Test
  void aLeaderTickerAndTheStateMachineExpireAKeyThroughTheLog() {
    KvStateMachine sm = new KvStateMachine(tracker);
    long[] index = {0};
    sm.apply(++index[0], KvCommandCodec.encode(new KvCommand.Put(0, 0, "k", "v", Condition.NONE, 2)));
    ExpiryTicker ticker = new ExpiryTicker(sm.expiries(), () -> true,
        bytes -> CompletableFuture.completedFuture(sm.apply(++index[0], bytes)));
    nanos.addAndGet(2 * SECOND - 1);
    assertThat(ticker.tick()).isNull();
    assertThat(sm.get("k")).isPresent();
    nanos.addAndGet(1);
    assertThat(ticker.tick()).isNotNull();
    assertThat(sm.get("k")).isEmpty();
    assertThat(sm.appliedIndex()).isEqualTo(2);
    assertThat(ticker.tick()).isNull();
    ticker.close();
  }

  @Test
  void codecRoundTripsTtlPutsAndExpiresAndKeepsPlainPutsInTheOriginalFormat() {
    KvCommand.Put withTtl = new KvCommand.Put(3, 4, "k", "v", Condition.modRevision(2), 30);
    assertThat(KvCommandCodec.decode(KvCommandCodec.encode(withTtl))).isEqualTo(withTtl);
    KvCommand.Expire expire = new KvCommand.Expire(List.of(new KvCommand.Due("a", 1), new KvCommand.Due("b", 9)));
    assertThat(KvCommandCodec.decode(KvCommandCodec.encode(expire))).isEqualTo(expire);
    assertThat(KvCommandCodec.encode(new KvCommand.Put(3, 4, "k", "v"))[1]).isEqualTo((byte) 1);
    assertThat(KvCommandCodec.contentDigest(withTtl))
        .isNotEqualTo(KvCommandCodec.contentDigest(new KvCommand.Put(3, 4, "k", "v", Condition.modRevision(2), 31)));
  }

  @Test
  void badTtlsAndOversizedExpiresAreRejected() {
    assertThatThrownBy(() -> new KvCommand.Put(1, 1, "k", "v", Condition.NONE, KvCommand.Put.MAX_TTL_SECONDS + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KvCommand.Put(1, 1, "k", "v", Condition.NONE, -1)).isInstanceOf(IllegalArgumentException.class);
    List<KvCommand.Due> tooMany = new ArrayList<>();
    for (int i = 0; i <= KvCommand.Expire.MAX_KEYS; i++) tooMany.add(new KvCommand.Due("k" + i, 1));
    assertThatThrownBy(() -> new KvCommand.Expire(tooMany)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KvCommand.Idempotent("x", new KvCommand.Expire(tooMany.subList(0, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] zeroTtl = KvCommandCodec.encode(new KvCommand.Put(1, 1, "k", "v", Condition.NONE, 9));
    java.nio.ByteBuffer.wrap(zeroTtl, zeroTtl.length - 8, 8).putLong(0);
    assertThatThrownBy(() -> KvCommandCodec.decode(zeroTtl)).isInstanceOf(IllegalArgumentException.class);
  }
}
