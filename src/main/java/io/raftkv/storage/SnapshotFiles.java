package io.raftkv.storage;

import io.raftkv.raft.SnapshotMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * State-machine snapshot files in {@code dataDir/snapshots/}, beside the JE environment.
 *
 * <p>Writing: get a {@link #newTempFile()}, write the state machine's bytes (the <em>payload</em>) into
 * it, then {@link #commit(Path, SnapshotMeta)}: a trailer with the metadata and a CRC32C of everything is
 * appended, the file is fsynced, atomically renamed to {@code snapshot-<index>-<term>.snap}, and the
 * directory is fsynced. Commit never deletes anything: commit the file, record it in {@link JeLogStore},
 * and only then {@link #pruneBelow} the older ones, so the store never references a missing file
 * whichever step a crash interrupts (docs/storage.md, "Snapshot files").
 *
 * <p>Reading: {@link #latest()} / {@link #find(SnapshotMeta)} return a {@link Stored} handle;
 * {@link #openPayload(Stored)} verifies the whole file's CRC first and then streams exactly the payload
 * (that is also what the transport should ship to a follower, which commits it the same way).
 * Thread-safe for concurrent readers and committers of different snapshots; prune from one thread.
 */
public final class SnapshotFiles {
  private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})-(\\d{20})\\.snap");
  private static final String TEMP_SUFFIX = ".part";

  /** A committed snapshot file: where it is, what it covers, how long its payload is. */
  public record Stored(Path path, SnapshotMeta meta, long payloadBytes) {}

  private final Path dir;

  private SnapshotFiles(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating) {@code dataDir/snapshots} and deletes temp files left by a crash. */
  public static SnapshotFiles open(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("snapshots");
    Files.createDirectories(dir);
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + TEMP_SUFFIX)) {
      for (Path temp : temps) Files.deleteIfExists(temp);
    }
    return new SnapshotFiles(dir);
  }

  public Path directory() {
    return dir;
  }

  /** A new empty file in the snapshot directory for the payload; committed or deleted later. */
  public Path newTempFile() throws IOException {
    return Files.createFile(dir.resolve("tmp-" + UUID.randomUUID() + TEMP_SUFFIX));
  }

  /**
   * Seals {@code temp} (its content is the payload) as the snapshot described by {@code meta} and makes
   * it durable. Deletes nothing (see {@link #pruneBelow}).
   *
   * @return the committed file
   */
  public Path commit(Path temp, SnapshotMeta meta) throws IOException {
    if (!temp.getParent().equals(dir)) throw new IllegalArgumentException(temp + " is not in " + dir);
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long payloadBytes = ch.size();
      CRC32C crc = new CRC32C();
      checksum(ch, payloadBytes, crc);
      ByteBuffer trailer = SnapshotTrailer.encode(meta, payloadBytes, crc);
      ch.position(payloadBytes);
      while (trailer.hasRemaining()) ch.write(trailer);
      ch.force(true);
    }
    Path target = dir.resolve(fileName(meta));
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory();
    return target;
  }

  /** The committed snapshot with the highest index (its trailer read and checked, not its payload). */
  public Optional<Stored> latest() throws IOException {
    List<Path> files = committedFiles();
    return files.isEmpty() ? Optional.empty() : Optional.of(describe(files.get(0)));
  }

  /** The committed snapshot for exactly this index and term, if present. */
  public Optional<Stored> find(SnapshotMeta meta) throws IOException {
    Path path = dir.resolve(fileName(meta));
    return Files.exists(path) ? Optional.of(describe(path)) : Optional.empty();
  }

  /** Reads and checks a committed file's trailer. */
  public Stored describe(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      SnapshotTrailer trailer = SnapshotTrailer.read(ch, problem -> corrupt(path, problem));
      Matcher m = NAME.matcher(path.getFileName().toString());
      if (m.matches() && (Long.parseLong(m.group(1)) != trailer.meta().index()
          || Long.parseLong(m.group(2)) != trailer.meta().term())) {
        throw corrupt(path, "name does not match trailer " + trailer.meta());
      }
      return new Stored(path, trailer.meta(), trailer.payloadBytes());
    }
  }

  /**
   * Verifies the file's CRC32C over payload and trailer, then opens a stream over exactly the payload.
   *
   * @throws CorruptLogException if the checksum does not match
   */
  public InputStream openPayload(Stored stored) throws IOException {
    FileChannel ch = FileChannel.open(stored.path(), StandardOpenOption.READ);
    try {
      SnapshotTrailer trailer = SnapshotTrailer.read(ch, problem -> corrupt(stored.path(), problem));
      CRC32C crc = new CRC32C();
      checksum(ch, trailer.payloadBytes(), crc);
      if (!trailer.matches(crc)) throw corrupt(stored.path(), "CRC32C mismatch");
      ch.position(0);
      return new BoundedInputStream(Channels.newInputStream(ch), trailer.payloadBytes());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  static String fileName(SnapshotMeta meta) {
    return String.format("snapshot-%020d-%020d.snap", meta.index(), meta.term());
  }

  /** Committed snapshot files, newest (highest index) first. */
  private List<Path> committedFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "snapshot-*.snap")) {
      for (Path p : all) if (NAME.matcher(p.getFileName().toString()).matches()) files.add(p);
    }
    files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    return files;
  }

  /**
   * Deletes the committed snapshots older than {@code current}. Call only once the log store durably
   * names {@code current} (or a newer one): until then an older file may be the one it names.
   */
  public void pruneBelow(SnapshotMeta current) throws IOException {
    for (Path p : committedFiles()) {
      if (indexOf(p) < current.index()) Files.deleteIfExists(p);
    }
  }

  /**
   * Deletes every committed snapshot except {@code current} (the one the log store names; none when
   * empty): at start-up, newer files are leftovers of a crash before the store recorded them.
   */
  public void retainOnly(SnapshotMeta current) throws IOException {
    String keep = current.isEmpty() ? null : fileName(current);
    for (Path p : committedFiles()) {
      if (!p.getFileName().toString().equals(keep)) Files.deleteIfExists(p);
    }
  }

  /** Names of the committed snapshot files, newest first (for error messages). */
  public List<String> names() throws IOException {
    return committedFiles().stream().map(p -> p.getFileName().toString()).toList();
  }

  private static long indexOf(Path committed) {
    Matcher m = NAME.matcher(committed.getFileName().toString());
    if (!m.matches()) throw new IllegalArgumentException(committed + " is not a snapshot file");
    return Long.parseLong(m.group(1));
  }

  private void fsyncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void checksum(FileChannel ch, long length, CRC32C crc) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    long pos = 0;
    while (pos < length) {
      buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
      int n = ch.read(buf, pos);
      if (n < 0) throw new IOException("unexpected end of snapshot at " + pos);
      buf.flip();
      crc.update(buf);
      pos += n;
    }
  }

  private CorruptLogException corrupt(Path path, String problem) {
    return new CorruptLogException(dir, "snapshot file " + path.getFileName(), problem);
  }
}
