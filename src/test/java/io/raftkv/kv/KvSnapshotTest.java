package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.ConfChange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KvSnapshotTest {

  /** A reproducible mix of puts, deletes, CAS, txns, idempotent writes, retries and membership entries. */
  private static List<byte[]> workload(long seed, int n) {
    Random random = new Random(seed);
    List<byte[]> commands = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long client = 1 + random.nextInt(20);
      long seq = 1 + random.nextInt(30);
      String key = "key/" + random.nextInt(200);
      KvCommand c = switch (random.nextInt(7)) {
        case 0 -> new KvCommand.Delete(client, seq, key);
        case 5 -> new KvCommand.Transaction(client, seq, new Txn(
            List.of(Txn.Compare.exists(key, random.nextBoolean())),
            List.of(new Txn.Put(key, "t" + i), new Txn.Get("key/" + random.nextInt(200))),
            List.of(new Txn.Delete(key), new Txn.Get(key))));
        case 6 -> new KvCommand.Idempotent("idem-" + random.nextInt(100),
            new KvCommand.Put(client, seq, key, "i" + random.nextInt(2)));
        case 1 -> new KvCommand.Put(client, seq, key, "v" + i, Condition.modRevision(random.nextInt(n)));
        case 2 -> new KvCommand.Put(client, seq, key, "v" + i, Condition.valueEquals("v" + random.nextInt(i + 1)));
        default -> new KvCommand.Put(client, seq, key, "v" + i + "é");
      };
      commands.add(random.nextInt(50) == 0 ? null : KvCommandCodec.encode(c)); // null = membership entry
    }
    return commands;
  }

  private static List<byte[]> feed(KvStateMachine sm, List<byte[]> commands) {
    List<byte[]> results = new ArrayList<>();
    for (byte[] c : commands) {
      long index = sm.appliedIndex() + 1;
      if (c == null) {
        sm.applyMemberChange(index, new ConfChange(ConfChange.Type.ADD_VOTER, 1 + index % 5,
            ("node-" + index).getBytes(StandardCharsets.UTF_8)));
      } else {
        results.add(sm.apply(index, c));
      }
    }
    return results;
  }

  private static byte[] snapshotBytes(KvStateMachine sm) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    sm.captureSnapshot().writeTo(out);
    return out.toByteArray();
  }

  @Test
  void sameEntriesGiveIdenticalResultsAndSnapshots() throws IOException {
    KvStateMachine a = new KvStateMachine(new KvStateMachine.Limits(8, 1 << 20, 4));
    KvStateMachine b = new KvStateMachine(new KvStateMachine.Limits(8, 1 << 20, 4));
    List<byte[]> commands = workload(1, 3000);
    List<byte[]> ra = feed(a, commands);
    List<byte[]> rb = feed(b, commands);
    for (int i = 0; i < ra.size(); i++) assertThat(ra.get(i)).isEqualTo(rb.get(i));
    assertThat(snapshotBytes(a)).isEqualTo(snapshotBytes(b));
    assertThat(a.size()).isPositive();
    assertThat(a.memberAddresses()).isNotEmpty();
  }

  @Test
  void restoredMachineContinuesExactlyLikeTheOriginal() throws IOException {
    KvStateMachine original = new KvStateMachine(new KvStateMachine.Limits(8, 1 << 20, 4));
    List<byte[]> commands = workload(2, 4000);
    feed(original, commands.subList(0, 2000));
    byte[] snapshot = snapshotBytes(original);

    KvStateMachine restored = new KvStateMachine(new KvStateMachine.Limits(8, 1 << 20, 4));
    restored.apply(1, KvCommandCodec.encode(new KvCommand.Put(0, 0, "to-be-replaced", "x")));
    restored.restore(new ByteArrayInputStream(snapshot));
    assertThat(restored.get("to-be-replaced")).isEmpty();
    assertThat(restored.appliedIndex()).isEqualTo(original.appliedIndex());
    assertThat(restored.memberAddresses()).isEqualTo(original.memberAddresses());
    assertThat(restored.clientCount()).isEqualTo(original.clientCount());
    assertThat(snapshotBytes(restored)).isEqualTo(snapshot);

    // the second half (including retries the dedup table must recognise) gives the same results
    List<byte[]> ro = feed(original, commands.subList(2000, 4000));
    List<byte[]> rr = feed(restored, commands.subList(2000, 4000));
    for (int i = 0; i < ro.size(); i++) assertThat(rr.get(i)).isEqualTo(ro.get(i));
    assertThat(snapshotBytes(restored)).isEqualTo(snapshotBytes(original));
  }

  @Test
  void captureIsAPointInTimeViewWhileApplyContinues() throws IOException {
    KvStateMachine sm = new KvStateMachine();
    sm.apply(1, KvCommandCodec.encode(new KvCommand.Put(1, 1, "a", "before")));
    var writer = sm.captureSnapshot();
    sm.apply(2, KvCommandCodec.encode(new KvCommand.Put(1, 2, "a", "after")));
    sm.apply(3, KvCommandCodec.encode(new KvCommand.Put(1, 3, "b", "new")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    assertThat(writer.index()).isEqualTo(1);

    KvStateMachine restored = new KvStateMachine();
    restored.restore(new ByteArrayInputStream(out.toByteArray()));
    assertThat(restored.get("a").orElseThrow().value()).isEqualTo("before");
    assertThat(restored.get("b")).isEmpty();
    assertThat(restored.appliedIndex()).isEqualTo(1);
    // the retry of seq 1 is recognised after restore; seq 2 was not yet applied at the capture
    KvCommand.Put again = new KvCommand.Put(1, 1, "a", "before");
    byte[] retry = restored.apply(2, KvCommandCodec.encode(again));
    assertThat(KvResultCodec.decodeFor(again, retry)).isEqualTo(KvResult.Ok.put(new KvEntry("a", "before", 1, 1, 1)));
    assertThat(restored.get("a").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void damagedSnapshotIsRejectedAndLeavesStateUntouched() throws IOException {
    KvStateMachine source = new KvStateMachine();
    feed(source, workload(3, 500));
    byte[] good = snapshotBytes(source);

    KvStateMachine target = new KvStateMachine();
    target.apply(1, KvCommandCodec.encode(new KvCommand.Put(1, 1, "mine", "keep")));
    Random random = new Random(4);
    for (int i = 0; i < 200; i++) {
      byte[] bad = good.clone();
      bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
      assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(bad))).isInstanceOf(IOException.class);
    }
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(truncated))).hasMessageContaining("truncated");
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> target.restore(new ByteArrayInputStream(longer))).hasMessageContaining("trailing");
    assertThat(target.get("mine")).isPresent();
    assertThat(target.appliedIndex()).isEqualTo(1);
  }

  /** Every write is to "k", so its version equals its index: a read after seeing appliedIndex N must see at least N. */
  @Test
  void readersOnOtherThreadsSeeConsistentEntriesNoOlderThanTheAppliedIndex() throws Exception {
    KvStateMachine sm = new KvStateMachine();
    AtomicReference<String> problem = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      for (int i = 0; i < 200_000 && problem.get() == null; i++) {
        long applied = sm.appliedIndex();
        sm.get("k").ifPresent(e -> {
          if (!e.value().equals("v" + e.version()) || e.version() < applied) problem.set(e + " at applied " + applied);
        });
      }
    });
    reader.start();
    for (long i = 1; i <= 20_000; i++) sm.apply(i, KvCommandCodec.encode(new KvCommand.Put(0, 0, "k", "v" + i)));
    reader.join(30_000);
    assertThat(problem.get()).isNull();
    assertThat(sm.get("k").orElseThrow().version()).isEqualTo(20_000);
  }
}
