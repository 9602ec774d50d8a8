package io.raftkv.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.SnapshotMeta;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
  @TempDir Path dir;

  private static final SnapshotMeta META = new SnapshotMeta(120, 7, new ConfState(Set.of(1L, 2L, 3L), Set.of(4L)));

  @Test
  void committedSnapshotRoundTripsPayloadAndMeta() throws Exception {
    SnapshotFiles files = SnapshotFiles.open(dir);
    byte[] payload = randomBytes(200_000, 1);
    Path committed = commit(files, payload, META);

    assertThat(committed.getFileName().toString()).isEqualTo("snapshot-00000000000000000120-00000000000000000007.snap");
    SnapshotFiles.Stored latest = files.latest().orElseThrow();
    assertThat(latest.meta()).isEqualTo(META);
    assertThat(latest.payloadBytes()).isEqualTo(payload.length);
    assertThat(files.find(META)).contains(latest);
    try (InputStream in = files.openPayload(latest)) {
      assertThat(in.readAllBytes()).isEqualTo(payload);
    }
  }

  @Test
  void emptyPayloadIsAllowed() throws Exception {
    SnapshotFiles files = SnapshotFiles.open(dir);
    commit(files, new byte[0], META);
    try (InputStream in = files.openPayload(files.latest().orElseThrow())) {
      assertThat(in.readAllBytes()).isEmpty();
    }
  }

  @Test
  void commitDeletesNothingPruneBelowKeepsTheCurrentAndNewerAndOpenRemovesLeftoverTempFiles() throws Exception {
    SnapshotFiles files = SnapshotFiles.open(dir);
    for (long i = 1; i <= 4; i++) commit(files, randomBytes(100, i), new SnapshotMeta(i * 10, 1, ConfState.ofVoters(1L)));
    assertThat(files.names()).hasSize(4);
    Path leftover = files.newTempFile();
    Files.writeString(leftover, "half a snapshot");

    SnapshotFiles reopened = SnapshotFiles.open(dir);
    reopened.pruneBelow(new SnapshotMeta(30, 1, ConfState.EMPTY));
    try (Stream<Path> all = Files.list(reopened.directory())) {
      assertThat(all.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
          "snapshot-00000000000000000030-00000000000000000001.snap",
          "snapshot-00000000000000000040-00000000000000000001.snap");
    }
    assertThat(reopened.latest().orElseThrow().meta().index()).isEqualTo(40);
    assertThat(reopened.find(new SnapshotMeta(10, 1, ConfState.EMPTY))).isEmpty();

    reopened.retainOnly(new SnapshotMeta(30, 1, ConfState.EMPTY));
    assertThat(reopened.names()).containsExactly("snapshot-00000000000000000030-00000000000000000001.snap");
    reopened.retainOnly(SnapshotMeta.EMPTY);
    assertThat(reopened.names()).isEmpty();
  }

  @Test
  void flippedPayloadByteIsDetectedBeforeAnythingIsRead() throws Exception {
    SnapshotFiles files = SnapshotFiles.open(dir);
    Path committed = commit(files, randomBytes(5000, 2), META);
    byte[] bytes = Files.readAllBytes(committed);
    bytes[2500] ^= 1;
    Files.write(committed, bytes);

    SnapshotFiles.Stored stored = files.latest().orElseThrow();
    assertThatThrownBy(() -> files.openPayload(stored))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(committed.getFileName().toString())
        .hasMessageContaining("CRC32C");
  }

  @Test
  void truncatedFileHasNoTrailer() throws Exception {
    SnapshotFiles files = SnapshotFiles.open(dir);
    Path committed = commit(files, randomBytes(5000, 3), META);
    byte[] bytes = Files.readAllBytes(committed);
    Files.write(committed, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(files::latest).isInstanceOf(CorruptLogException.class).hasMessageContaining("magic");
  }

  @Test
  void emptyDirectoryHasNoSnapshot() throws Exception {
    assertThat(SnapshotFiles.open(dir).latest()).isEmpty();
  }

  private static Path commit(SnapshotFiles files, byte[] payload, SnapshotMeta meta) throws Exception {
    Path temp = files.newTempFile();
    Files.write(temp, payload);
    return files.commit(temp, meta);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
