package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.ReadConsistency;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node killed at every step of the snapshot cycle (child JVM, {@link SnapshotCrashNode}) restarts
 * with every acknowledged write; a data directory whose recorded snapshot is gone refuses to start.
 */
class SnapshotCrashTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"payload", "commit", "record", "prune"})
  void aCrashAtAnyStepOfTheSecondSnapshotLeavesANodeThatRestarts(String point) throws Exception {
    List<String> acked = runChild("a", point, 2);
    assertRestartsWith(acked);
  }

  @Test
  void twoCrashesBetweenCommitAndCompactionLeaveANodeThatRestarts() throws Exception {
    // First: snapshot 2's file is committed but never recorded; more entries land after it.
    List<String> acked = new ArrayList<>(runChild("a", "commit-hang", 2));
    // Then: after the restart, the next snapshot (newer than that file) is committed and the node dies
    // again before recording it. The log store still names snapshot 1: its file must still be there.
    acked.addAll(runChild("b", "commit", 1));
    assertRestartsWith(acked);
  }

  @Test
  void aNodeWhoseRecordedSnapshotFileIsMissingRefusesToStartAndSaysWhy() throws Exception {
    List<String> acked = runChild("a", "prune", 1);
    assertThat(acked).isNotEmpty();
    Path snapshots = dir.resolve("node-1").resolve("snapshots");
    List<Path> files = snapshotFiles(snapshots);
    assertThat(files).hasSize(1);
    Files.delete(files.get(0));

    try (TestCluster cluster = cluster()) {
      assertThatThrownBy(() -> cluster.start(1))
          .isInstanceOf(InconsistentDataException.class)
          .hasMessageContaining("refusing to start")
          .hasMessageContaining("records snapshot index")
          .hasMessageContaining("is missing from " + snapshots);
    }
  }

  @Test
  void aNodeWhoseRecordedSnapshotFileIsCorruptRefusesToStart() throws Exception {
    runChild("a", "prune", 1);
    Path file = snapshotFiles(dir.resolve("node-1").resolve("snapshots")).get(0);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 3] ^= 1;
    Files.write(file, bytes);

    try (TestCluster cluster = cluster()) {
      assertThatThrownBy(() -> cluster.start(1))
          .isInstanceOf(InconsistentDataException.class)
          .hasMessageContaining("cannot be restored")
          .hasMessageContaining("CRC32C");
    }
  }

  private TestCluster cluster() {
    TestCluster cluster = new TestCluster(dir, 1L);
    cluster.overrides.put(NodeConfig.SNAPSHOT_THRESHOLD, Integer.toString(SnapshotCrashNode.THRESHOLD));
    cluster.overrides.put(NodeConfig.LOG_RETAIN, "0");
    return cluster;
  }

  private void assertRestartsWith(List<String> acked) throws Exception {
    assertThat(acked).isNotEmpty();
    try (TestCluster cluster = cluster()) {
      TestCluster.TestNode node = cluster.start(1);
      cluster.awaitLeader();
      for (String key : acked) {
        String expected = "v" + key.substring(key.indexOf('-') + 1);
        assertThat(node.kv().get(key, ReadConsistency.LINEARIZABLE).toCompletableFuture().get(10, TimeUnit.SECONDS))
            .as(key).map(KvEntry::value).contains(expected);
      }
      long recorded = node.store().snapshot().index();
      // Only the recorded snapshot's file is left (older and never-recorded ones are gone).
      assertThat(snapshotFiles(cluster.config(1).dataDir().resolve("snapshots")))
          .hasSize(recorded == 0 ? 0 : 1);
      node.kv().put("after-restart", "ok", Condition.NONE).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Runs the child until it dies at its crash point; returns the keys it had acknowledged. */
  private List<String> runChild(String run, String point, int occurrence) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), SnapshotCrashNode.class.getName(), dir.toString(), run, point,
        Integer.toString(occurrence))
        .redirectErrorStream(true)
        .start();
    List<String> acked = new ArrayList<>();
    List<String> output = new ArrayList<>();
    boolean crashed = false;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (output.size() < 10_000 && (line = out.readLine()) != null) {
        output.add(line);
        if (line.startsWith("acked ")) acked.add(line.substring(6));
        if (line.startsWith("crash at ")) crashed = true;
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(crashed).as("child reached crash point %s; output:%n%s", point, String.join("\n", output)).isTrue();
    assertThat(child.exitValue()).isEqualTo(137);
    return acked;
  }

  private static List<Path> snapshotFiles(Path snapshots) throws Exception {
    try (Stream<Path> all = Files.list(snapshots)) {
      return all.filter(p -> p.getFileName().toString().endsWith(".snap")).sorted().toList();
    }
  }
}
