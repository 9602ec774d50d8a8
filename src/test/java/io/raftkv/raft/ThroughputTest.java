package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guards the hot path: a 3-node in-memory cluster driven by one thread must commit well over 200k
 * small proposals per second (measured after a warm-up). The bound asserted is lower than the
 * target so a loaded CI machine does not make it flaky; the measured rate is printed.
 */
class ThroughputTest {

  private static final class Driver {
    final MemoryStorage[] st = new MemoryStorage[4];
    final RaftNode[] nodes = new RaftNode[4];
    final ArrayDeque<Message> net = new ArrayDeque<>();
    long applied;

    Driver() {
      for (int i = 1; i <= 3; i++) {
        st[i] = new MemoryStorage();
        nodes[i] = new RaftNode(RaftConfig.defaults(i), st[i], ConfState.ofVoters(1L, 2L, 3L), new SplittableRandom(i));
      }
    }

    void pump() {
      boolean progress = true;
      while (progress) {
        progress = false;
        for (int i = 1; i <= 3; i++) {
          RaftNode n = nodes[i];
          if (!n.hasReady()) continue;
          progress = true;
          Ready rd = n.ready();
          st[i].append(rd.entries());
          if (rd.hardState() != null) st[i].setHardState(rd.hardState());
          net.addAll(rd.messages());
          if (i == 1) applied += rd.committedEntries().size();
          n.advance(rd);
        }
        while (!net.isEmpty()) {
          Message m = net.poll();
          nodes[(int) m.to()].step(m);
          progress = true;
        }
      }
    }

    /** Commits {@code total} proposals in batches of {@code batch}; returns proposals per second. */
    double run(int total, int batch) {
      long start = applied;
      long t0 = System.nanoTime();
      byte[] payload = new byte[64];
      for (int done = 0; done < total; done += batch) {
        for (int i = 0; i < batch; i++) nodes[1].propose(payload);
        pump();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      assertThat(applied - start).isEqualTo(total);
      return total / secs;
    }
  }

  @Test
  void threeNodeClusterCommitsManyProposalsPerSecond() {
    Driver d = new Driver();
    d.nodes[1].campaign();
    d.pump();
    assertThat(d.nodes[1].status().role()).isEqualTo(Role.LEADER);
    d.applied = 0;
    d.run(300_000, 100); // warm-up
    double rate = 0;
    for (int i = 0; i < 3; i++) rate = Math.max(rate, d.run(300_000, 100)); // best of 3: CPUs are shared
    System.out.printf("raft core throughput: %.0f committed proposals/s%n", rate);
    assertThat(rate).isGreaterThan(100_000);
  }
}
