package io.raftkv.node;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvStateMachine;
import io.raftkv.kv.RaftKvService;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.JeLogStore;
import io.raftkv.storage.SnapshotFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child-JVM main for {@link SnapshotCrashTest}: a single-node loop that snapshots every few entries,
 * writes keys {@code <run>-<i>} one by one (printing "acked KEY" after each acknowledgement) and dies at
 * a crash point in the snapshot cycle. Dying is {@code Runtime.halt}: like SIGKILL, no Java code runs
 * after it (no shutdown hook, no store close); only what was already written to the OS survives.
 *
 * <p>Arguments: root dir, run name, crash point, occurrence (the n-th time the point is reached).
 * Points: {@code payload} (snapshot bytes written, file not committed), {@code commit} (file committed,
 * not recorded in the log store), {@code record} (recorded, older files not pruned yet), {@code prune}
 * (pruned), and {@code commit-hang}: the file is committed, then the snapshot writer hangs (so the log
 * store never records it) while 10 more writes are acknowledged, then the process dies.
 */
public final class SnapshotCrashNode {
  static final int THRESHOLD = 5;
  private static final int MAX_WRITES = 200;

  private SnapshotCrashNode() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    String run = args[1];
    String point = args[2];
    int occurrence = Integer.parseInt(args[3]);
    CrashPoints crash = new CrashPoints(point, occurrence);
    TestCluster cluster = new TestCluster(root, 1L);
    cluster.overrides.put(NodeConfig.SNAPSHOT_THRESHOLD, Integer.toString(THRESHOLD));
    cluster.overrides.put(NodeConfig.LOG_RETAIN, "0");
    NodeConfig config = cluster.config(1);
    JeLogStore store = JeLogStore.open(config.dataDir());
    KvStateMachine sm = new KvStateMachine();
    LoopbackTransport transport = new LoopbackTransport(1, cluster.net, config.dataDir().resolve("incoming"));
    RaftLoop loop = new RaftLoop(config, crash.storage(new JeRaftStorage(store)),
        crash.snapshots(new FileSnapshotStore(SnapshotFiles.open(config.dataDir()))),
        sm, transport);
    loop.start();
    RaftKvService kv = new RaftKvService(loop, sm);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!loop.isLeader() && System.nanoTime() < deadline) Thread.sleep(10);
    for (int i = 0; i < MAX_WRITES && System.nanoTime() < deadline; i++) {
      String key = run + "-" + i;
      kv.put(key, "v" + i, Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
      System.out.println("acked " + key);
      System.out.flush();
      crash.afterAck();
    }
    System.out.println("crash point never reached");
    System.out.flush();
    Runtime.getRuntime().halt(3);
  }

  /** Wraps storage and snapshot store so the chosen point kills the process. */
  static final class CrashPoints {
    private final String point;
    private final int occurrence;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger acksAfterHang = new AtomicInteger(-1);

    CrashPoints(String point, int occurrence) {
      this.point = point;
      this.occurrence = occurrence;
    }

    void reached(String at) {
      if (!at.equals(point) || seen.incrementAndGet() != occurrence) return;
      System.out.println("crash at " + at);
      System.out.flush();
      if (at.equals("commit-hang")) {
        acksAfterHang.set(0);
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Runtime.getRuntime().halt(137);
    }

    void afterAck() {
      if (acksAfterHang.get() >= 0 && acksAfterHang.incrementAndGet() >= 10) Runtime.getRuntime().halt(137);
    }

    RaftStorage storage(JeRaftStorage d) {
      return new ForwardingStorage(d) {
        @Override
        public void compact(SnapshotMeta meta, long retainFrom) {
          super.compact(meta, retainFrom);
          reached("record");
        }
      };
    }

    SnapshotStore snapshots(FileSnapshotStore d) {
      return new SnapshotStore() {
        @Override
        public void write(SnapshotMeta meta, StateMachine.SnapshotWriter writer) throws IOException {
          d.write(meta, new StateMachine.SnapshotWriter() {
            @Override
            public long index() {
              return writer.index();
            }

            @Override
            public void writeTo(java.io.OutputStream out) throws IOException {
              writer.writeTo(out);
              out.flush();
              reached("payload");
            }
          });
          reached("commit");
          reached("commit-hang");
        }

        @Override
        public void adopt(SnapshotMeta meta, Path received) throws IOException {
          d.adopt(meta, received);
        }

        @Override
        public Optional<Path> file(SnapshotMeta meta) throws IOException {
          return d.file(meta);
        }

        @Override
        public InputStream openPayload(SnapshotMeta meta) throws IOException {
          return d.openPayload(meta);
        }

        @Override
        public void pruneBelow(SnapshotMeta current) throws IOException {
          d.pruneBelow(current);
          reached("prune");
        }

        @Override
        public void retainOnly(SnapshotMeta current) throws IOException {
          d.retainOnly(current);
        }

        @Override
        public String describe() {
          return d.describe();
        }
      };
    }
  }
}
