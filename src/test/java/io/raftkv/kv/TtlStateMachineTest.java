package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.kv.watch.HubListener;
import io.raftkv.kv.watch.WatchEvent;
import io.raftkv.kv.watch.WatchHub;
import io.raftkv.kv.watch.Watcher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** TTL semantics of the replicated state: granted by a put, cleared by other writes, removed only by a matching Expire. */
class TtlStateMachineTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong nanos = new AtomicLong(1_000 * SECOND);
  private KvStateMachine sm = new KvStateMachine(new ExpiryTracker(nanos::get));
  private long index;
  private long seq;

  private KvResult apply(KvCommand command) {
    return KvResultCodec.decodeFor(command, sm.apply(++index, KvCommandCodec.encode(command)));
  }

  private KvResult put(String key, String value, long ttl) {
    return apply(new KvCommand.Put(1, ++seq, key, value, Condition.NONE, ttl));
  }

  private KvResult expire(String key, long modRevision) {
    return apply(new KvCommand.Expire(List.of(new KvCommand.Due(key, modRevision))));
  }

  @Test
  void aPutGrantsItsTtlAndThePutAnswerCarriesIt() {
    assertThat(put("k", "v", 30)).isEqualTo(KvResult.Ok.put(new KvEntry("k", "v", 1, 1, 1, 30)));
    assertThat(sm.get("k").orElseThrow().ttlSeconds()).isEqualTo(30);
    assertThat(sm.expiries().size()).isEqualTo(1);
  }

  @Test
  void aPutWithoutTtlATxnPutAndADeleteEachClearTheTtl() {
    put("a", "1", 30);
    put("a", "2", 0);
    assertThat(sm.get("a").orElseThrow().hasTtl()).isFalse();
    put("b", "1", 30);
    apply(new KvCommand.Transaction(1, ++seq, new Txn(List.of(), List.of(new Txn.Put("b", "2")), List.of())));
    assertThat(sm.get("b").orElseThrow().hasTtl()).isFalse();
    put("c", "1", 30);
    apply(new KvCommand.Delete(1, ++seq, "c"));
    assertThat(sm.expiries().size()).isZero();
    nanos.addAndGet(60 * SECOND);
    assertThat(sm.expiries().due(10, 1000)).isEmpty();
  }

  @Test
  void anExpireDeletesAtItsOwnIndexOnlyIfTheKeyStillHasTheTtlAndRevisionTheLeaderSaw() {
    put("k", "v", 5); // revision 1
    assertThat(expire("k", 1)).isEqualTo(KvResult.Ok.deleted(2));
    assertThat(sm.get("k")).isEmpty();
    assertThat(sm.expiries().size()).isZero();

    put("raced", "old", 5); // 3
    put("raced", "new", 5); // 4: the put that raced the expiry of revision 3 wins
    expire("raced", 3);
    assertThat(sm.get("raced").orElseThrow().value()).isEqualTo("new");
    assertThat(sm.expiries().size()).isEqualTo(1);

    put("plain", "v", 0); // 6: no TTL, so an expire naming its revision changes nothing
    expire("plain", 6);
    assertThat(sm.get("plain")).isPresent();
    expire("absent", 1);
    assertThat(sm.appliedIndex()).isEqualTo(index);
  }

  @Test
  void anExpiryIsADeleteEventMarkedExpiredForWatchers() throws Exception {
    WatchHub hub = new WatchHub(WatchHub.Limits.DEFAULT);
    sm.setChangeListener(new HubListener(hub));
    Watcher w = hub.register(0, k -> true);
    put("k", "v", 2);
    apply(new KvCommand.Delete(1, ++seq, "k"));
    put("k", "v", 2);
    expire("k", 3);
    List<WatchEvent> got = new ArrayList<>();
    for (WatchEvent e; (e = w.next(1, TimeUnit.MILLISECONDS)) != null; ) got.add(e);
    assertThat(got).containsExactly(new WatchEvent(1, "k", "v"), new WatchEvent(2, "k", null),
        new WatchEvent(3, "k", "v"), new WatchEvent(4, "k", null, true));
  }

  @Test
  void ttlsSurviveASnapshotAndStartOverInFullOnTheRestoringNode() throws IOException {
    put("t", "v", 10);
    put("plain", "v", 0);
    nanos.addAndGet(8 * SECOND);
    KvStateMachine restored = new KvStateMachine(new ExpiryTracker(nanos::get));
    restored.restore(new ByteArrayInputStream(snapshot(sm)));
    assertThat(restored.get("t")).contains(new KvEntry("t", "v", 1, 1, 1, 10));
    assertThat(restored.get("plain").orElseThrow().hasTtl()).isFalse();
    assertThat(restored.expiries().withRemaining(restored.get("t").orElseThrow()).ttlSeconds()).isEqualTo(10);
    assertThat(sm.expiries().withRemaining(sm.get("t").orElseThrow()).ttlSeconds()).isEqualTo(2);
    nanos.addAndGet(10 * SECOND);
    assertThat(restored.expiries().due(10, 1000)).containsExactly(new KvCommand.Due("t", 1));
  }

  @Test
  void versionTwoAndVersionOneSnapshotsStillRestoreWithoutTtls() throws IOException {
    put("a", "1", 0);
    put("b", "2", 0);
    byte[] v3 = snapshot(sm);
    for (byte[] old : List.of(OldSnapshots.asVersion2(v3), OldSnapshots.asVersion1(v3))) {
      KvStateMachine restored = new KvStateMachine();
      restored.restore(new ByteArrayInputStream(old));
      assertThat(restored.get("a")).contains(new KvEntry("a", "1", 1, 1, 1));
      assertThat(restored.get("b")).contains(new KvEntry("b", "2", 2, 2, 1));
      assertThat(restored.appliedIndex()).isEqualTo(2);
      assertThat(snapshot(restored)).isEqualTo(v3); // and written again as the same version-3 stream
    }
  }

  @Test
  void aSnapshotWithAnImplausibleTtlIsRejected() throws IOException {
    put("k", "v", 7);
    byte[] bytes = snapshot(sm);
    int ttlAt = indexOfLong(bytes, 7);
    java.nio.ByteBuffer.wrap(bytes, ttlAt, 8).putLong(-7);
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4).putInt((int) crc.getValue());
    assertThatThrownBy(() -> new KvStateMachine().restore(new ByteArrayInputStream(bytes)))
        .isInstanceOf(IOException.class).hasMessageContaining("implausible ttl");
  }

  private static int indexOfLong(byte[] bytes, long value) {
    byte[] want = java.nio.ByteBuffer.allocate(8).putLong(value).array();
    for (int i = 0; i + 8 <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + 8, want, 0, 8)) return i;
    }
    throw new AssertionError("not found");
  }

  private static byte[] snapshot(KvStateMachine machine) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    machine.captureSnapshot().writeTo(out);
    return out.toByteArray();
  }
}
