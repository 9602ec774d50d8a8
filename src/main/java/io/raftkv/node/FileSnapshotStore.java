package io.raftkv.node;

import io.raftkv.raft.SnapshotMeta;
import io.raftkv.storage.SnapshotFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@link SnapshotStore} over {@link SnapshotFiles}. The file streamed to followers is the committed
 * file itself (payload + checksummed trailer), so the receiver verifies it end to end before copying
 * the payload into its own committed file.
 */
public final class FileSnapshotStore implements SnapshotStore {
  private final SnapshotFiles files;

  public FileSnapshotStore(SnapshotFiles files) {
    this.files = files;
  }

  @Override
  public void write(SnapshotMeta meta, StateMachine.SnapshotWriter writer) throws IOException {
    Path temp = files.newTempFile();
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        writer.writeTo(out);
      }
      files.commit(temp, meta);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void adopt(SnapshotMeta meta, Path received) throws IOException {
    Path temp = files.newTempFile();
    try {
      SnapshotFiles.Stored stored = files.describe(received);
      if (stored.meta().index() != meta.index() || stored.meta().term() != meta.term()) {
        throw new IOException("received snapshot file is " + stored.meta().index() + "/" + stored.meta().term()
            + " but the leader announced " + meta.index() + "/" + meta.term());
      }
      try (InputStream in = files.openPayload(stored); OutputStream out = Files.newOutputStream(temp)) {
        in.transferTo(out);
      }
      files.commit(temp, meta);
    } finally {
      Files.deleteIfExists(temp);
      Files.deleteIfExists(received);
    }
  }

  @Override
  public Optional<Path> file(SnapshotMeta meta) throws IOException {
    return files.find(meta).map(SnapshotFiles.Stored::path);
  }

  @Override
  public InputStream openPayload(SnapshotMeta meta) throws IOException {
    SnapshotFiles.Stored stored = files.find(meta).orElseThrow(() -> new IOException(
        "snapshot file for index " + meta.index() + " term " + meta.term() + " is missing in " + files.directory()));
    return files.openPayload(stored);
  }

  @Override
  public void pruneBelow(SnapshotMeta current) throws IOException {
    files.pruneBelow(current);
  }

  @Override
  public void retainOnly(SnapshotMeta current) throws IOException {
    files.retainOnly(current);
  }

  @Override
  public String describe() {
    try {
      return files.directory() + " holding " + files.names();
    } catch (IOException e) {
      return files.directory() + " (unreadable: " + e.getMessage() + ")";
    }
  }
}
