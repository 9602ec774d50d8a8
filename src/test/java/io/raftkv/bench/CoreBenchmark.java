package io.raftkv.bench;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.Entry;
import io.raftkv.raft.EntryType;
import io.raftkv.raft.MemoryStorage;
import io.raftkv.raft.Message;
import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.RaftConfig;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Ready;
import io.raftkv.raft.Role;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Micro-benchmark of the Raft core alone: a 3-node cluster with in-memory storage, driven on one thread
 * (no I/O, no threads, messages handed over in memory). Each round proposes batches of commands at the
 * leader and counts those the leader applies. Prints proposals/s per round and the median.
 *
 * <p>Run with {@code bin/raftkv-bench core [rounds] [seconds-per-round] [batch] [payload-bytes]}.
 */
public final class CoreBenchmark {

  private static final int NODES = 3;
  private static final long COMPACT_EVERY = 50_000;

  private final RaftNode[] cores = new RaftNode[NODES + 1];
  private final MemoryStorage[] logs = new MemoryStorage[NODES + 1];
  private final long[] applied = new long[NODES + 1];
  private final ArrayDeque<Message> wire = new ArrayDeque<>();
  private final ConfState conf = ConfState.ofVoters(1L, 2L, 3L);
  private final byte[] payload;
  private long committedProposals;
  private int leaderId;

  private CoreBenchmark(int payloadBytes) {
    payload = new byte[payloadBytes];
    SplittableRandom seeds = new SplittableRandom(42);
    for (int id = 1; id <= NODES; id++) {
      logs[id] = new MemoryStorage();
      RaftConfig cfg = RaftConfig.defaults(id).withMaxUncommittedBytes(256L << 20)
          .withMaxCommittedBytesPerReady(64L << 20);
      cores[id] = new RaftNode(cfg, logs[id], conf, seeds.split());
    }
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int payloadBytes = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    CoreBenchmark bench = new CoreBenchmark(payloadBytes);
    bench.electLeader();
    System.out.printf("Raft core, 3 nodes in memory, one thread: batch=%d payload=%dB%n", batch, payloadBytes);
    bench.measure(batch, 5.0); // warm-up: let the JIT compile the hot paths
    double[] rates = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      rates[r] = bench.measure(batch, seconds);
      System.out.printf("round %d: %,.0f proposals/s%n", r + 1, rates[r]);
    }
    bench.verifyConverged();
    Arrays.sort(rates);
    System.out.printf("median: %,.0f committed proposals/s (min %,.0f, max %,.0f)%n",
        rates[rounds / 2], rates[0], rates[rounds - 1]);
  }

  /** Guards the figure: every node applied the same prefix, so the proposals really replicated. */
  private void verifyConverged() {
    for (int t = 0; t < 10; t++) {
      for (int id = 1; id <= NODES; id++) cores[id].tick();
      pump();
    }
    for (int id = 1; id <= NODES; id++) {
      if (applied[id] != applied[leaderId] || logs[id].lastIndex() != applied[id]) {
        throw new IllegalStateException("node " + id + " applied " + applied[id] + ", leader " + applied[leaderId]);
      }
    }
    System.out.printf("all %d nodes applied index %,d%n", NODES, applied[leaderId]);
  }

  private void electLeader() {
    for (int t = 0; t < 1000 && leader() == 0; t++) {
      cores[1].tick();
      pump();
    }
    if (leader() == 0) throw new IllegalStateException("no leader elected");
  }

  private int leader() {
    for (int id = 1; id <= NODES; id++) {
      if (cores[id].status().role() == Role.LEADER) return id;
    }
    return 0;
  }

  /** Runs for {@code seconds}; returns committed proposals per second. */
  private double measure(int batch, double seconds) {
    int leader = leader();
    leaderId = leader;
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long before = committedProposals;
    int sinceTick = 0;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < batch; i++) {
        try {
          cores[leader].propose(payload);
        } catch (ProposalRejectedException e) {
          break; // back-pressure: let replication catch up
        }
      }
      pump();
      if (++sinceTick == 16) { // heartbeats keep CheckQuorum satisfied
        for (int id = 1; id <= NODES; id++) cores[id].tick();
        sinceTick = 0;
      }
    }
    long elapsed = System.nanoTime() - start;
    return (committedProposals - before) * 1e9 / elapsed;
  }

  /** Processes Readies and delivers messages until the cluster is quiet. */
  private void pump() {
    boolean busy = true;
    while (busy) {
      busy = false;
      for (int id = 1; id <= NODES; id++) {
        while (cores[id].hasReady()) {
          handle(id, cores[id].ready());
          busy = true;
        }
      }
      while (!wire.isEmpty()) {
        Message m = wire.poll();
        cores[(int) m.to()].step(m);
        busy = true;
      }
    }
  }

  private void handle(int id, Ready rd) {
    if (rd.snapshot() != null) throw new IllegalStateException("no snapshots expected");
    logs[id].append(rd.entries());
    if (rd.hardState() != null) logs[id].setHardState(rd.hardState());
    wire.addAll(rd.messages());
    for (Entry e : rd.committedEntries()) {
      applied[id] = e.index();
      if (id == leaderId && e.type() == EntryType.NORMAL && e.data().length > 0) {
        committedProposals++;
      }
    }
    cores[id].advance(rd);
    if (applied[id] - logs[id].snapshot().index() > 2 * COMPACT_EVERY) {
      logs[id].compact(applied[id] - COMPACT_EVERY, conf);
      cores[id].onCompacted(logs[id].snapshot());
    }
  }
}
