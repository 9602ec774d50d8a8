package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The change listener hears of a change only once readers of the state machine can see it: a watcher
 * that receives revision R and then reads this node at stale consistency sees R.
 */
class DeferredChangesTest {

  @Test
  void listenerIsToldAfterTheChangeIsVisibleToReaders() {
    KvStateMachine sm = new KvStateMachine();
    List<String> seenByListener = new ArrayList<>();
    sm.setChangeListener(new ChangeListener() {
      @Override
      public void changed(long revision, String key, String valueOrNull) {
        Optional<KvEntry> read = sm.get(key);
        seenByListener.add(revision + ":" + sm.appliedIndex() + ":" + read.map(KvEntry::value).orElse("absent"));
      }

      @Override
      public void restored(long snapshotIndex) {}
    });
    sm.apply(1, KvCommandCodec.encode(new KvCommand.Put(0, 0, "a", "1", Condition.NONE)));
    sm.apply(2, KvCommandCodec.encode(new KvCommand.Put(0, 0, "a", "2", Condition.NONE)));
    sm.apply(3, KvCommandCodec.encode(new KvCommand.Delete(0, 0, "a")));
    assertThat(seenByListener).containsExactly("1:1:1", "2:2:2", "3:3:absent");
  }
}
