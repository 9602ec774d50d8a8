package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.ConfChange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {
  private final KvStateMachine sm = new KvStateMachine();
  private long index;
  private long seq;

  private KvResult apply(KvCommand command) {
    return KvResultCodec.decodeFor(command, sm.apply(++index, KvCommandCodec.encode(command)));
  }

  private KvResult put(String key, String value, Condition condition) {
    return apply(new KvCommand.Put(1, ++seq, key, value, condition));
  }

  private KvResult put(String key, String value) {
    return put(key, value, Condition.NONE);
  }

  private KvResult delete(String key) {
    return apply(new KvCommand.Delete(1, ++seq, key));
  }

  @Test
  void putCreatesThenUpdatesWithRevisionsAndVersions() {
    assertThat(put("foo", "a")).isEqualTo(KvResult.Ok.put(new KvEntry("foo", "a", 1, 1, 1)));
    sm.applyNoop(++index);
    assertThat(put("foo", "b")).isEqualTo(KvResult.Ok.put(new KvEntry("foo", "b", 1, 3, 2)));
    assertThat(sm.get("foo")).contains(new KvEntry("foo", "b", 1, 3, 2));
    assertThat(sm.appliedIndex()).isEqualTo(3);
    assertThat(sm.size()).isEqualTo(1);
  }

  @Test
  void deleteRemovesAndRecreationStartsOver() {
    put("foo", "a");
    put("foo", "b");
    assertThat(delete("foo")).isEqualTo(KvResult.Ok.deleted(3));
    assertThat(sm.get("foo")).isEmpty();
    assertThat(delete("foo")).isEqualTo(new KvResult.NotFound());
    assertThat(put("foo", "c")).isEqualTo(KvResult.Ok.put(new KvEntry("foo", "c", 5, 5, 1)));
  }

  @Test
  void compareAndSetByModRevision() {
    assertThat(put("k", "created", Condition.modRevision(0))).isInstanceOf(KvResult.Ok.class);
    KvEntry current = sm.get("k").orElseThrow();
    assertThat(put("k", "again", Condition.modRevision(0))).isEqualTo(new KvResult.PreconditionFailed(current));
    assertThat(put("k", "stale", Condition.modRevision(99))).isEqualTo(new KvResult.PreconditionFailed(current));
    assertThat(put("k", "next", Condition.modRevision(1))).isEqualTo(KvResult.Ok.put(new KvEntry("k", "next", 1, 4, 2)));
    assertThat(sm.appliedIndex()).isEqualTo(4);
  }

  @Test
  void compareAndSetByValueAndAbsence() {
    assertThat(put("k", "x", Condition.valueEquals("anything"))).isEqualTo(new KvResult.PreconditionFailed(null));
    assertThat(put("k", "v1", Condition.absent())).isInstanceOf(KvResult.Ok.class);
    KvEntry v1 = sm.get("k").orElseThrow();
    assertThat(put("k", "v2", Condition.absent())).isEqualTo(new KvResult.PreconditionFailed(v1));
    assertThat(put("k", "v2", Condition.valueEquals("nope"))).isEqualTo(new KvResult.PreconditionFailed(v1));
    assertThat(put("k", "v2", Condition.valueEquals("v1"))).isEqualTo(KvResult.Ok.put(new KvEntry("k", "v2", 2, 5, 2)));
  }

  @Test
  void retriedCommandReturnsOriginalResultWithoutReapplying() {
    KvCommand.Put first = new KvCommand.Put(77, 1, "k", "v1");
    byte[] original = sm.apply(++index, KvCommandCodec.encode(first));
    apply(new KvCommand.Put(88, 1, "k", "other"));
    byte[] retried = sm.apply(3, KvCommandCodec.encode(first));
    assertThat(retried).isEqualTo(original);
    assertThat(KvResultCodec.decodeFor(first, retried)).isEqualTo(KvResult.Ok.put(new KvEntry("k", "v1", 1, 1, 1)));
    assertThat(sm.get("k").orElseThrow().value()).isEqualTo("other");
    assertThat(sm.get("k").orElseThrow().version()).isEqualTo(2);
    assertThat(sm.appliedIndex()).isEqualTo(3);
  }

  @Test
  void aPutsResultLeavesTheValueToTheProposerWhoHasItInTheCommand() {
    KvCommand.Put put = new KvCommand.Put(9, 1, "k", "x".repeat(256));
    byte[] bytes = sm.apply(++index, KvCommandCodec.encode(put));
    assertThat(KvResultCodec.decode(bytes)).isEqualTo(KvResult.Ok.put(new KvEntry("k", "", 1, 1, 1)));
    assertThat(bytes.length).isLessThan(64);
    assertThat(KvResultCodec.decodeFor(put, bytes)).isEqualTo(KvResult.Ok.put(new KvEntry("k", "x".repeat(256), 1, 1, 1)));
    assertThat(sm.get("k").orElseThrow().value()).isEqualTo("x".repeat(256));
  }

  @Test
  void retriedFailedConditionReturnsTheSameFailure() {
    put("k", "v");
    KvCommand cas = new KvCommand.Put(5, 1, "k", "w", Condition.valueEquals("zzz"));
    KvResult first = apply(cas);
    put("k", "changed");
    assertThat(apply(cas)).isEqualTo(first);
  }

  @Test
  void outOfOrderSequencesAreAppliedOnceEach() {
    assertThat(apply(new KvCommand.Put(3, 2, "b", "2"))).isInstanceOf(KvResult.Ok.class);
    assertThat(apply(new KvCommand.Put(3, 1, "a", "1"))).isInstanceOf(KvResult.Ok.class);
    assertThat(apply(new KvCommand.Put(3, 2, "b", "2"))).isEqualTo(KvResult.Ok.put(new KvEntry("b", "2", 1, 1, 1)));
    assertThat(sm.get("a")).isPresent();
  }

  @Test
  void sequencesBelowTheWindowAreExpiredNotApplied() {
    KvStateMachine small = new KvStateMachine(new KvStateMachine.Limits(10, 1 << 20, 2));
    for (long s = 1; s <= 3; s++) small.apply(s, KvCommandCodec.encode(new KvCommand.Put(1, s, "k" + s, "v")));
    byte[] again = small.apply(4, KvCommandCodec.encode(new KvCommand.Put(1, 1, "k1", "v")));
    assertThat(KvResultCodec.decode(again)).isEqualTo(new KvResult.Expired());
    assertThat(small.get("k1").orElseThrow().version()).isEqualTo(1);
    KvCommand.Put retry = new KvCommand.Put(1, 2, "k2", "v");
    byte[] recent = small.apply(5, KvCommandCodec.encode(retry));
    assertThat(KvResultCodec.decodeFor(retry, recent)).isEqualTo(KvResult.Ok.put(new KvEntry("k2", "v", 2, 2, 1)));
  }

  @Test
  void evictsTheClientWithTheOldestLastAppliedIndex() {
    KvStateMachine small = new KvStateMachine(new KvStateMachine.Limits(2, 1 << 20, 8));
    small.apply(1, KvCommandCodec.encode(new KvCommand.Put(100, 1, "a", "v")));
    small.apply(2, KvCommandCodec.encode(new KvCommand.Put(200, 1, "b", "v")));
    small.apply(3, KvCommandCodec.encode(new KvCommand.Put(100, 2, "a", "v")));
    small.apply(4, KvCommandCodec.encode(new KvCommand.Put(300, 1, "c", "v")));
    assertThat(small.clientCount()).isEqualTo(2);
    // client 100 was used more recently than 200, so 200 was forgotten and its retry applies again
    small.apply(5, KvCommandCodec.encode(new KvCommand.Put(100, 1, "a", "v")));
    assertThat(small.get("a").orElseThrow().version()).isEqualTo(2);
    small.apply(6, KvCommandCodec.encode(new KvCommand.Put(200, 1, "b", "v")));
    assertThat(small.get("b").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void clientIdZeroIsNeverDeduplicated() {
    apply(new KvCommand.Put(0, 0, "k", "v"));
    apply(new KvCommand.Put(0, 0, "k", "v"));
    assertThat(sm.get("k").orElseThrow().version()).isEqualTo(2);
    assertThat(sm.clientCount()).isZero();
  }

  @Test
  void undecodableCommandIsRejectedDeterministicallyAndConsumesTheIndex() {
    KvResult result = KvResultCodec.decode(sm.apply(1, new byte[] {1, 9, 9}));
    assertThat(result).isInstanceOf(KvResult.Rejected.class);
    assertThat(((KvResult.Rejected) result).reason()).contains("undecodable");
    assertThat(sm.appliedIndex()).isEqualTo(1);
  }

  @Test
  void emptyEntryIsANoop() {
    put("k", "v");
    assertThat(sm.apply(2, new byte[0])).isEmpty();
    assertThat(sm.appliedIndex()).isEqualTo(2);
    assertThat(sm.get("k").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void refusesToApplyAnIndexTwice() {
    put("k", "v");
    assertThatThrownBy(() -> sm.apply(1, KvCommandCodec.encode(new KvCommand.Put(1, 99, "k", "w"))))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> sm.applyNoop(1)).isInstanceOf(IllegalStateException.class);
    assertThat(sm.get("k").orElseThrow().value()).isEqualTo("v");
  }

  @Test
  void memberChangesMaintainTheAddressBook() {
    sm.applyMemberChange(1, new ConfChange(ConfChange.Type.ADD_LEARNER, 4, "peer=h4:9090".getBytes(StandardCharsets.UTF_8)));
    sm.applyMemberChange(2, new ConfChange(ConfChange.Type.ADD_VOTER, 4, new byte[0]));
    sm.applyMemberChange(3, new ConfChange(ConfChange.Type.ADD_VOTER, 5, "peer=h5:9090".getBytes(StandardCharsets.UTF_8)));
    assertThat(sm.memberAddresses()).isEqualTo(Map.of(4L, "peer=h4:9090", 5L, "peer=h5:9090"));
    sm.applyMemberChange(4, new ConfChange(ConfChange.Type.REMOVE_NODE, 4, null));
    assertThat(sm.memberAddresses()).isEqualTo(Map.of(5L, "peer=h5:9090"));
    assertThat(sm.appliedIndex()).isEqualTo(4);
  }

  @Test
  void aRangeIsReadFromOneAppliedStateNamedByItsIndex() {
    put("a/1", "x");
    put("a/2", "y");
    sm.applyNoop(++index);
    delete("a/1");
    assertThat(sm.range(RangeQuery.prefix("a/")))
        .isEqualTo(RangeResult.items(4, List.of(new KvEntry("a/2", "y", 2, 2, 1)), false));
    sm.applyNoop(++index);
    assertThat(sm.range(RangeQuery.all().counting())).isEqualTo(RangeResult.count(5, 1));
  }

  /** Each put adds a key, so a state read together with its index has exactly index keys. */
  @Test
  void aConcurrentReaderNeverSeesATreeWithAnotherStatesIndex() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<RangeResult> mismatch = new AtomicReference<>();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = new Thread(() -> {
      while (!done.get() && mismatch.get() == null) {
        RangeResult r = sm.range(RangeQuery.all().counting());
        if (r.count() != r.revision()) mismatch.set(r);
        reads.incrementAndGet();
      }
    });
    reader.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    for (int i = 0; i < 20_000 && System.nanoTime() < deadline && mismatch.get() == null; i++) {
      put("k" + i, "v");
    }
    done.set(true);
    reader.join(10_000);
    assertThat(mismatch.get()).isNull();
    assertThat(reads.get()).isPositive();
  }
}
