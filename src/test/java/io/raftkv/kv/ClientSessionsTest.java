package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientSessions#record} rebuilds a client's window in one pass and keeps its byte count
 * incrementally; this compares it, over random in-order, out-of-order and repeated sequences, with the
 * plain definition: the {@code window} highest sequences per client, the floor one above the highest
 * forgotten one, the bytes the sum over what is kept.
 */
class ClientSessionsTest {

  /** The plain definition of one client's window. */
  private static final class ModelClient {
    final TreeMap<Long, byte[]> results = new TreeMap<>();
    long floor;
  }

  @Test
  void recordKeepsTheSameWindowFloorAndBytesAsThePlainDefinition() {
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      int window = 1 + random.nextInt(6);
      ClientSessions sessions = new ClientSessions(new KvStateMachine.Limits(1_000, 1L << 40, window));
      Map<Long, ModelClient> model = new HashMap<>();
      Map<Long, Long> nextSeq = new HashMap<>();
      for (long index = 1; index <= 60; index++) {
        long client = 1 + random.nextInt(3);
        long top = nextSeq.merge(client, 1L + random.nextInt(3), Long::sum); // gaps: later ones arrive first
        ModelClient m = model.getOrDefault(client, new ModelClient());
        long seq = top - random.nextInt(4); // sometimes an older sequence arrives late
        if (seq < 1 || seq < m.floor || m.results.containsKey(seq)) {
          continue; // the state machine never records these: they are answered from the table
        }
        byte[] result = new byte[random.nextInt(5)];
        random.nextBytes(result);
        sessions.record(client, seq, index, result);
        model.put(client, m);
        m.results.put(seq, result);
        while (m.results.size() > window) {
          m.floor = m.results.pollFirstEntry().getKey() + 1;
        }
        assertSameAs(sessions, model);
      }
    }
  }

  @Test
  void theClientAppliedLongestAgoIsForgottenFirstAndTheBytesFollow() {
    ClientSessions sessions = new ClientSessions(new KvStateMachine.Limits(2, 1L << 40, 4));
    sessions.record(1, 1, 1, new byte[3]);
    sessions.record(2, 1, 2, new byte[5]);
    sessions.record(1, 2, 3, new byte[7]);
    sessions.record(3, 1, 4, new byte[11]);
    assertThat(sessions.size()).isEqualTo(2);
    assertThat(sessions.lookup(2, 1)).isNull();
    assertThat(sessions.resultBytes()).isEqualTo(3 + 7 + 11 + 3 * 16);
    List<Long> order = new ArrayList<>();
    sessions.copy().forEach(s -> order.add(s.clientId()));
    assertThat(order).containsExactly(1L, 3L);
  }

  private static void assertSameAs(ClientSessions sessions, Map<Long, ModelClient> model) {
    long bytes = 0;
    for (var e : model.entrySet()) {
      ModelClient m = e.getValue();
      for (var r : m.results.entrySet()) {
        assertThat(sessions.lookup(e.getKey(), r.getKey())).isEqualTo(r.getValue());
        bytes += r.getValue().length + 16;
      }
      if (m.floor > 1) {
        assertThat(sessions.lookup(e.getKey(), m.floor - 1)).isSameAs(ClientSessions.EXPIRED);
      }
      var stored = new LinkedHashMap<Long, ClientSessions.Session>();
      sessions.copy().forEach(s -> stored.put(s.clientId(), s));
      ClientSessions.Session s = stored.get(e.getKey());
      assertThat(s.floor()).isEqualTo(m.floor);
      assertThat(s.seqs()).containsExactly(m.results.keySet().stream().mapToLong(Long::longValue).toArray());
      assertThat(s.bytes()).isEqualTo(m.results.values().stream().mapToLong(r -> r.length + 16).sum());
    }
    assertThat(sessions.resultBytes()).isEqualTo(bytes);
  }
}
