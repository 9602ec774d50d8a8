package io.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing JVM with SIGKILL mid-stream: every acknowledged batch survives, no batch is partial. */
class CrashRecoveryTest {
  @TempDir Path dir;

  @Test
  void killedWriterLosesNoCommittedBatchAndLeavesNoPartialOne() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CrashWriter.class.getName(), dir.toString())
        .redirectErrorStream(true)
        .start();
    long acknowledged = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
      String line;
      while (acknowledged < 30L * CrashWriter.BATCH && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        if (line.startsWith("committed ")) acknowledged = Long.parseLong(line.substring(10));
      }
      child.destroyForcibly(); // SIGKILL while the writer is inside its next transaction
      assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged).as("child made progress").isGreaterThanOrEqualTo(30L * CrashWriter.BATCH);

    try (JeLogStore store = JeLogStore.open(dir)) {
      long last = store.lastIndex();
      assertThat(last).isGreaterThanOrEqualTo(acknowledged);
      assertThat(last % CrashWriter.BATCH).as("only whole batches").isZero();
      assertThat(store.hardState().commit()).isEqualTo(last - CrashWriter.BATCH);
      for (long i = 1; i <= last; i += 97) {
        assertThat(store.entries(i, i + 1, 1).get(0)).isEqualTo(LogFixtures.sized(i, 1, 512));
      }
    }
  }
}
