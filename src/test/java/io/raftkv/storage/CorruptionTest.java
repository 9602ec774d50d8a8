package io.raftkv.storage;

import static io.raftkv.storage.LogFixtures.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import io.raftkv.raft.HardState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged records must stop the node with a message naming the environment and the record. */
class CorruptionTest {
  @TempDir Path dir;

  @BeforeEach
  void writeTenEntries() throws Exception {
    try (JeLogStore store = JeLogStore.open(dir)) {
      store.save(new HardState(1, 1, 10), entries(1, 10, 1), true);
    }
  }

  @Test
  void flippedBitInEntryIsDetectedOnOpen() {
    rawJe(LogSegments.nameOf(1), db -> {
      DatabaseEntry value = new DatabaseEntry();
      db.get(null, new DatabaseEntry(EntryCodec.key(5)), value, null);
      byte[] bytes = value.getData();
      bytes[12] ^= 0x04; // inside the entry's data
      db.put(null, new DatabaseEntry(EntryCodec.key(5)), new DatabaseEntry(bytes));
    });
    assertThatThrownBy(() -> JeLogStore.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(dir.resolve("je").toString())
        .hasMessageContaining("log index 5")
        .hasMessageContaining("CRC32C");
  }

  @Test
  void garbageRecordIsDetectedOnOpen() {
    rawJe(LogSegments.nameOf(1), db -> db.put(null, new DatabaseEntry(EntryCodec.key(7)), new DatabaseEntry(new byte[] {9, 9})));
    assertThatThrownBy(() -> JeLogStore.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("log index 7");
  }

  @Test
  void recordMovedToAnotherIndexIsDetected() {
    rawJe(LogSegments.nameOf(1), db -> {
      DatabaseEntry value = new DatabaseEntry();
      db.get(null, new DatabaseEntry(EntryCodec.key(3)), value, null);
      db.put(null, new DatabaseEntry(EntryCodec.key(4)), value);
    });
    assertThatThrownBy(() -> JeLogStore.open(dir)).isInstanceOf(CorruptLogException.class).hasMessageContaining("log index 4");
  }

  @Test
  void missingRecordInTheMiddleIsDetected() {
    rawJe(LogSegments.nameOf(1), db -> db.delete(null, new DatabaseEntry(EntryCodec.key(6))));
    assertThatThrownBy(() -> JeLogStore.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("log index 6")
        .hasMessageContaining("missing");
  }

  @Test
  void corruptHardStateIsDetected() {
    rawJe("meta", db -> {
      DatabaseEntry key = new DatabaseEntry(MetaCodec.HARD_STATE.getBytes(StandardCharsets.UTF_8));
      DatabaseEntry value = new DatabaseEntry();
      db.get(null, key, value, null);
      byte[] bytes = value.getData();
      bytes[3] ^= 1;
      db.put(null, key, new DatabaseEntry(bytes));
    });
    assertThatThrownBy(() -> JeLogStore.open(dir))
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining("hardstate");
  }

  /** Without JE's halt-on-checksum setting, recovery would silently truncate the log at the damage. */
  @Test
  void damagedJeLogFileStopsTheStore() throws Exception {
    byte[] marker = "entry-5-t1".getBytes(StandardCharsets.UTF_8);
    boolean flipped = false;
    try (Stream<Path> files = Files.list(dir.resolve("je"))) {
      for (Path jdb : files.filter(p -> p.toString().endsWith(".jdb")).toList()) {
        byte[] bytes = Files.readAllBytes(jdb);
        int at = indexOf(bytes, marker);
        if (at >= 0) {
          bytes[at + 3] ^= 0x20;
          Files.write(jdb, bytes);
          flipped = true;
        }
      }
    }
    assertThat(flipped).as("marker found in a .jdb file").isTrue();
    assertThatThrownBy(() -> JeLogStore.open(dir).close())
        .isInstanceOf(CorruptLogException.class)
        .hasMessageContaining(dir.resolve("je").toString())
        .hasMessageContaining("JE log files");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** Edits a database directly through JE, bypassing the store's codecs. */
  private void rawJe(String dbName, Consumer<Database> edit) {
    EnvironmentConfig envConfig = new EnvironmentConfig().setTransactional(true);
    Environment env = new Environment(dir.resolve("je").toFile(), envConfig);
    try (Database db = env.openDatabase(null, dbName, new DatabaseConfig().setTransactional(true))) {
      edit.accept(db);
    } finally {
      env.close();
    }
  }

}
