package io.raftkv.kv.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvCommand;
import io.raftkv.kv.KvCommandCodec;
import io.raftkv.kv.KvStateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The state machine feeds exactly its applied changes (not failed CAS, not absent deletes) to the hub. */
class StateMachineFeedTest {

  @Test
  void appliedPutsAndDeletesBecomeEventsAtTheirLogIndex() throws Exception {
    WatchHub hub = new WatchHub(WatchHub.Limits.DEFAULT);
    KvStateMachine sm = new KvStateMachine();
    sm.setChangeListener(new HubListener(hub));
    Watcher w = hub.register(0, k -> true);
    sm.apply(1, KvCommandCodec.encode(new KvCommand.Put(0, 0, "a", "1", Condition.NONE)));
    sm.applyNoop(2);
    sm.apply(3, KvCommandCodec.encode(new KvCommand.Put(0, 0, "a", "2", Condition.valueEquals("nope"))));
    sm.apply(4, KvCommandCodec.encode(new KvCommand.Delete(0, 0, "missing")));
    sm.apply(5, KvCommandCodec.encode(new KvCommand.Delete(0, 0, "a")));
    List<WatchEvent> got = new ArrayList<>();
    for (WatchEvent e; (e = w.next(1, TimeUnit.MILLISECONDS)) != null; ) got.add(e);
    assertThat(got).containsExactly(new WatchEvent(1, "a", "1"), new WatchEvent(5, "a", null));

    ByteArrayOutputStream snap = new ByteArrayOutputStream();
    sm.captureSnapshot().writeTo(snap);
    KvStateMachine restored = new KvStateMachine();
    WatchHub other = new WatchHub(WatchHub.Limits.DEFAULT);
    restored.setChangeListener(new HubListener(other));
    restored.restore(new ByteArrayInputStream(snap.toByteArray()));
    assertThat(other.oldestRevision()).isEqualTo(6);
  }
}
