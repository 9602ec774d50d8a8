package io.raftkv.storage;

import static io.raftkv.storage.LogFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.HardState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills a child JVM ({@link SegmentCrashChild}) at each step of creating, removing and truncating across
 * segments, then reopens: no entry at or above the first index is lost, there is no gap, and the
 * segments left entirely below the first index are removed after the open.
 */
class SegmentCrashTest {
  @TempDir Path dir;

  private void crashAt(String scenario, String step, long segment) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        SegmentCrashChild.class.getName(), dir.toString(), scenario, step, Long.toString(segment))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
      assertThat(child.exitValue()).as("child halted at %s %s %d", scenario, step, segment)
          .isEqualTo(SegmentCrashChild.HALTED);
    } finally {
      child.destroyForcibly();
    }
  }

  private JeLogStore open(int span) throws Exception {
    return JeLogStore.open(dir, SegmentCrashChild.SMALL, span);
  }

  @ParameterizedTest
  @CsvSource({"REMOVING, 1", "REMOVE_UNCOMMITTED, 21", "REMOVED, 21", "REMOVED, 31"})
  void crashWhileRemovingCompactedSegments(String step, long segment) throws Exception {
    crashAt("remove", step, segment);
    try (JeLogStore store = open(SegmentCrashChild.SPAN)) {
      assertThat(store.firstIndex()).isEqualTo(47);
      assertThat(store.lastIndex()).isEqualTo(95);
      assertThat(store.hardState()).isEqualTo(new HardState(1, 1, 95));
      assertThat(store.entries(47, 96, Long.MAX_VALUE)).isEqualTo(entries(47, 95, 1));
      assertThat(store.segmentFirsts()).as("leftover segments removed after the open")
          .containsExactly(41L, 51L, 61L, 71L, 81L, 91L);
      assertThat(store.storedRecordCount()).isEqualTo(55);
    }
  }

  @Test
  void crashAfterCreatingASegmentBeforeTheSaveCommits() throws Exception {
    crashAt("create", "CREATED", 31);
    try (JeLogStore store = open(SegmentCrashChild.SPAN)) {
      assertThat(store.lastIndex()).isEqualTo(25);
      assertThat(store.segmentFirsts()).startsWith(1L, 11L, 21L);
      store.save(null, entries(26, 40, 1), true);
    }
    try (JeLogStore store = open(SegmentCrashChild.SPAN)) {
      assertThat(store.entries(1, 41, Long.MAX_VALUE)).isEqualTo(entries(1, 40, 1));
      assertThat(store.segmentFirsts()).containsExactly(1L, 11L, 21L, 31L);
    }
  }

  @Test
  void crashInATruncationSpanningSegmentsLosesNothing() throws Exception {
    crashAt("truncate", "CREATED", 14); // the write hook halts at the put of 14, after the deletes
    try (JeLogStore store = open(SegmentCrashChild.SPAN)) {
      assertThat(store.lastIndex()).isEqualTo(35);
      assertThat(store.hardState()).isEqualTo(new HardState(1, 1, 10));
      assertThat(store.entries(1, 36, Long.MAX_VALUE)).isEqualTo(entries(1, 35, 1));
    }
  }

  @ParameterizedTest
  @CsvSource({"REMOVING, 0", "REMOVE_UNCOMMITTED, 0", "REMOVED, 0"})
  void crashWhileRemovingTheLegacyDatabase(String step, long segment) throws Exception {
    crashAt("legacy", step, segment);
    try (JeLogStore store = open(SegmentCrashChild.LEGACY_SPAN)) {
      assertThat(store.firstIndex()).isEqualTo(600);
      assertThat(store.entries(600, 651, Long.MAX_VALUE)).isEqualTo(entries(600, 650, 1));
      assertThat(store.segmentFirsts()).isEqualTo(List.of(501L, 601L));
    }
    assertThat(LegacyLayout.databaseNames(dir)).doesNotContain(LogSegments.LEGACY_NAME);
  }
}
