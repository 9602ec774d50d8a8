package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random transactions, puts and deletes applied to {@link KvStateMachine} and to a naive model (a map
 * copied before every txn): every result and the whole state after every entry must agree, and the
 * watch feed must report exactly the model's changes.
 */
class TxnModelTest {
  private static final List<String> KEYS = List.of("a", "b", "c", "d", "e");

  /** The specification, written plainly: copy the map, evaluate, run the branch on the copy. */
  private static final class Model {
    Map<String, KvEntry> data = new HashMap<>();
    final List<String> changes = new ArrayList<>();

    TxnOutcome run(long index, Txn txn) {
      boolean ok = txn.compares().stream().allMatch(c -> matches(c, data.get(c.key())));
      Map<String, KvEntry> next = new HashMap<>(data);
      List<TxnOutcome.OpResult> results = new ArrayList<>();
      for (Txn.Op op : ok ? txn.success() : txn.failure()) {
        KvEntry cur = next.get(op.key());
        if (op instanceof Txn.Put p) {
          KvEntry e = cur == null ? new KvEntry(p.key(), p.value(), index, index, 1)
              : new KvEntry(p.key(), p.value(), cur.createRevision(), index, cur.version() + 1);
          next.put(p.key(), e);
          changes.add(index + " " + p.key() + "=" + p.value());
          results.add(new TxnOutcome.PutResult(p.key(), index, e.version()));
        } else if (op instanceof Txn.Delete) {
          if (next.remove(op.key()) != null) changes.add(index + " " + op.key() + "=null");
          results.add(new TxnOutcome.DeleteResult(op.key(), cur != null));
        } else {
          results.add(new TxnOutcome.GetResult(op.key(), cur));
        }
      }
      data = next;
      return new TxnOutcome(ok, index, results);
    }

    private static boolean matches(Txn.Compare c, KvEntry e) {
      return switch (c.target()) {
        case VALUE -> e != null && e.value().equals(c.value());
        case MOD_REVISION -> c.number() == (e == null ? 0 : e.modRevision());
        case CREATE_REVISION -> c.number() == (e == null ? 0 : e.createRevision());
        case VERSION -> c.number() == (e == null ? 0 : e.version());
        case EXISTS -> (c.number() == 1) == (e != null);
      };
    }
  }

  @Test
  void randomTxnsAgreeWithTheModel() {
    for (long seed = 1; seed <= 20; seed++) runSeed(seed, 400);
  }

  private static void runSeed(long seed, int entries) {
    Random random = new Random(seed);
    KvStateMachine sm = new KvStateMachine();
    List<String> feed = new ArrayList<>();
    sm.setChangeListener(new ChangeListener() {
      @Override
      public void changed(long revision, String key, String valueOrNull) {
        feed.add(revision + " " + key + "=" + valueOrNull);
      }

      @Override
      public void restored(long snapshotIndex) {}
    });
    Model model = new Model();
    for (long index = 1; index <= entries; index++) {
      Txn txn = randomTxn(random, index);
      KvResult result = KvResultCodec.decode(sm.apply(index, KvCommandCodec.encode(new KvCommand.Transaction(0, 0, txn))));
      assertThat(result).as("seed %d index %d %s", seed, index, txn).isEqualTo(new KvResult.TxnDone(model.run(index, txn)));
      Map<String, KvEntry> state = new TreeMap<>();
      for (String k : KEYS) sm.get(k).ifPresent(e -> state.put(k, e));
      assertThat(state).as("seed %d index %d", seed, index).isEqualTo(new TreeMap<>(model.data));
    }
    assertThat(feed).isEqualTo(model.changes);
  }

  /** Compares drawn near the real state so both branches run often; branches write each key at most once. */
  private static Txn randomTxn(Random random, long index) {
    List<Txn.Compare> compares = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      String key = pick(random);
      compares.add(switch (random.nextInt(5)) {
        case 0 -> Txn.Compare.value(key, "v" + random.nextInt(4));
        case 1 -> Txn.Compare.number(key, Txn.Target.MOD_REVISION, Math.max(0, index - 1 - random.nextInt(3)));
        case 2 -> Txn.Compare.number(key, Txn.Target.CREATE_REVISION, random.nextInt(3));
        case 3 -> Txn.Compare.number(key, Txn.Target.VERSION, random.nextInt(3));
        default -> Txn.Compare.exists(key, random.nextBoolean());
      });
    }
    return new Txn(compares, randomOps(random), randomOps(random));
  }

  private static List<Txn.Op> randomOps(Random random) {
    List<Txn.Op> ops = new ArrayList<>();
    Set<String> written = new HashSet<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      String key = pick(random);
      int kind = random.nextInt(3);
      if (kind < 2 && !written.add(key)) kind = 2;
      ops.add(switch (kind) {
        case 0 -> new Txn.Put(key, "v" + random.nextInt(4));
        case 1 -> new Txn.Delete(key);
        default -> new Txn.Get(key);
      });
    }
    return ops;
  }

  private static String pick(Random random) {
    return KEYS.get(random.nextInt(KEYS.size()));
  }
}
