package io.raftkv.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker on hand-written histories with TTL puts and expiries (docs/testing.md, docs/ttl.md). */
class ExpiryLinearizabilityTest extends HistoryCheckSupport {

  private static KvOp.Result written(long revision) {
    return KvOp.Result.written(true, revision, null);
  }

  private static KvOp expire(String key, long modRevision) {
    return KvOp.expire(List.of(new KvCommand.Due(key, modRevision)));
  }

  private static KvOp.Result present(String value, long create, long mod, long version) {
    return KvOp.Result.readEntry(new KvEntry("k", value, create, mod, version));
  }

  private static final KvOp.Result ABSENT = KvOp.Result.readEntry(null);
  private static final KvOp GET = KvOp.get("k");

  @Test
  void anExpireDeletesAKeyThatStillHasItsTtlAndRevision() {
    op(KvOp.putWithTtl("k", "v", 2), 1, 2, written(3));
    op(expire("k", 3), 3, 4, written(5));
    op(GET, 5, 6, ABSENT);
    assertThat(linearizable()).isTrue();
  }

  @Test
  void aKeyStillThereAfterItsExpireCompletedIsNot() {
    op(KvOp.putWithTtl("k", "v", 2), 1, 2, written(3));
    op(expire("k", 3), 3, 4, written(5));
    op(GET, 5, 6, present("v", 3, 3, 1));
    assertThat(linearizable()).isFalse();
  }

  @Test
  void aPutThatRacedTheExpiryWins() {
    // The leader saw revision 3 run out, but a put with a new TTL got in first (revision 4).
    op(KvOp.putWithTtl("k", "v1", 1), 1, 2, written(3));
    op(KvOp.putWithTtl("k", "v2", 1), 3, 6, written(4));
    op(expire("k", 3), 4, 7, written(5));
    op(GET, 8, 9, present("v2", 3, 4, 2));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void anExpireThatDeletesAKeyWrittenSinceIsNot() {
    // What SimulatorCatchesBugsTest's planted bug produces: the racing put is lost.
    op(KvOp.putWithTtl("k", "v1", 1), 1, 2, written(3));
    op(KvOp.putWithTtl("k", "v2", 1), 3, 6, written(4));
    op(expire("k", 3), 4, 7, written(5));
    op(GET, 8, 9, ABSENT);
    assertThat(linearizable()).isFalse();
  }

  @Test
  void aWriteWithoutTtlClearsIt() {
    // The expire names the current mod revision, but the key no longer has a TTL: a put without one,
    // a cas and a txn put each clear it.
    List<KvOp> clearing = List.of(KvOp.put("k", "v2"), KvOp.cas("k", "v1", "v2"),
        KvOp.txn(new Txn(List.of(), List.of(new Txn.Put("k", "v2")), List.of())));
    for (KvOp write : clearing) {
      for (boolean keyGone : new boolean[] {false, true}) {
        history.clear();
        op(KvOp.putWithTtl("k", "v1", 1), 1, 2, written(3));
        op(write, 3, 4, write.kind() == KvOp.Kind.TXN ? txnPut(4) : written(4));
        op(expire("k", 4), 5, 6, written(5));
        op(GET, 7, 8, keyGone ? ABSENT : present("v2", 3, 4, 2));
        assertThat(linearizable()).as("%s, then the key %s", write, keyGone ? "gone" : "there").isEqualTo(!keyGone);
      }
    }
  }

  private static KvOp.Result txnPut(long revision) {
    return KvOp.Result.txn(new io.raftkv.kv.TxnOutcome(true, revision,
        List.of(new io.raftkv.kv.TxnOutcome.PutResult("k", revision, 2))));
  }

  @Test
  void aDeletedKeyIsNotBroughtBackAndAnExpireAfterItChangesNothing() {
    op(KvOp.putWithTtl("k", "v", 1), 1, 2, written(3));
    op(KvOp.delete("k"), 3, 4, written(4));
    op(expire("k", 3), 5, 6, written(5));
    op(KvOp.putWithTtl("k", "w", 1), 7, 8, written(6));
    op(GET, 9, 10, present("w", 6, 6, 1));
    assertThat(linearizable()).isTrue();
  }

  @Test
  void anUnknownExpireTakesEffectOnceOrNever() {
    op(KvOp.putWithTtl("k", "v", 1), 1, 2, written(3));
    unknown(expire("k", 3), 3);
    op(GET, 4, 5, present("v", 3, 3, 1));
    op(GET, 6, 7, ABSENT);
    assertThat(linearizable()).as("took effect between the reads").isTrue();
    op(GET, 8, 9, present("v", 3, 3, 1));
    assertThat(linearizable()).as("the key came back without a write").isFalse();
  }

  @Test
  void anExpireOnARevisionTheModelDoesNotKnowMayGoEitherWay() {
    // The put's outcome is unknown (no revision reported); a read saw its value; the expire names
    // revision 7, which may or may not be the put's.
    unknown(KvOp.putWithTtl("k", "v", 1), 1);
    op(GET, 2, 3, KvOp.Result.read("v"));
    op(expire("k", 7), 4, 5, written(8));
    op(GET, 6, 7, ABSENT);
    assertThat(linearizable()).as("the put was at 7").isTrue();
    history.remove(history.size() - 1);
    op(GET, 6, 7, KvOp.Result.read("v"));
    assertThat(linearizable()).as("the put was elsewhere").isTrue();
  }

  @Test
  void anExpireIsAWriteInRevisionOrder() {
    op(KvOp.putWithTtl("k", "v", 1), 1, 2, written(3));
    op(KvOp.put("j", "x"), 3, 4, written(9));
    op(KvOp.expire(List.of(new KvCommand.Due("k", 3), new KvCommand.Due("j", 9))), 5, 6, written(8));
    assertThat(linearizable()).as("revision 8 after 9 was linearized").isFalse();
  }

  @Test
  void readsDoNotCompareTheTtlANodeReports() {
    op(KvOp.putWithTtl("k", "v", 2), 1, 2, KvOp.Result.written(true, 3, new KvEntry("k", "v", 3, 3, 1, 2)));
    op(GET, 3, 4, KvOp.Result.readEntry(new KvEntry("k", "v", 3, 3, 1, 1))); // 1 s remaining here
    assertThat(linearizable()).isTrue();
  }

  @Test
  void anExpireJoinsTheKeysItListsIntoOneGroup() {
    op(KvOp.putWithTtl("a", "1", 1), 1, 2, written(3));
    op(KvOp.putWithTtl("b", "2", 1), 1, 2, written(4));
    op(KvOp.put("c", "3"), 1, 2, written(5));
    op(KvOp.expire(List.of(new KvCommand.Due("a", 3), new KvCommand.Due("b", 4))), 3, 4, written(6));
    List<KeyGroups.Group> groups = KeyGroups.partition(history);
    assertThat(groups).extracting(KeyGroups.Group::name).containsExactlyInAnyOrder("[a, b]", "[c]");
    assertThat(linearizable()).isTrue();
  }
}
