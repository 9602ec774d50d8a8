package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.cluster.HistoryRecorder.Kind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug dump lists every operation on the failing key and names what the revisions prove. */
class HistoryDumpTest {
  private static final URI NODE_1 = URI.create("http://127.0.0.11:8080/");
  private static final URI NODE_2 = URI.create("http://127.0.0.12:8080/");
  private final HistoryRecorder history = new HistoryRecorder();

  @Test
  void findsTheKeyInTheCheckersExplanation() {
    assertThat(HistoryDump.failingKey("not linearizable on key kill-a:\n  #1 ...")).isEqualTo("kill-a");
    assertThat(HistoryDump.failingKey("linearizable")).isNull();
  }

  @Test
  void aReadOlderThanAnAcknowledgedWriteIsAStaleRead() {
    history.record(1, Kind.PUT, "k", "a", NODE_1, () -> KvResult.ok(200, "a", 5));
    history.record(1, Kind.PUT, "k", "b", NODE_1, () -> KvResult.ok(200, "b", 9));
    history.record(2, Kind.GET, "k", null, NODE_2, () -> KvResult.ok(200, "a", 5));
    assertThat(HistoryDump.anomalies(history.operations())).singleElement().asString()
        .startsWith("stale read").contains("via " + NODE_2);
  }

  @Test
  void oneValueAtTwoRevisionsIsADoubleApply() {
    history.record(1, Kind.PUT, "k", "a", NODE_1, () -> KvResult.ok(200, "a", 5));
    history.record(2, Kind.GET, "k", null, NODE_2, () -> KvResult.ok(200, "a", 7));
    assertThat(HistoryDump.anomalies(history.operations())).singleElement().asString()
        .contains("double apply");
  }

  @Test
  void aValueOnlyAFailedWriteCouldHaveWrittenIsNamed() {
    history.record(1, Kind.PUT, "k", "a", NODE_1, () -> KvResult.failed(503, "{\"error\":\"unavailable\"}"));
    history.record(2, Kind.GET, "k", null, NODE_2, () -> KvResult.ok(200, "a", 7));
    assertThat(HistoryDump.anomalies(history.operations())).singleElement().asString()
        .contains("answered FAILED");
  }

  @Test
  void aConsistentHistoryHasNoAnomalies() {
    history.record(1, Kind.PUT, "k", "a", NODE_1, () -> KvResult.ok(200, "a", 5));
    history.record(2, Kind.GET, "k", null, NODE_2, () -> KvResult.ok(200, "a", 5));
    history.record(1, Kind.DELETE, "k", null, NODE_1, () -> KvResult.ok(200, null, 6));
    history.record(2, Kind.GET, "k", null, NODE_2, KvResult::notFound);
    assertThat(HistoryDump.anomalies(history.operations())).isEmpty();
  }

  @Test
  void theDumpListsOnlyTheKeysOperationsWithNodeStatusAndBody(@TempDir Path dir) throws Exception {
    history.record(1, Kind.PUT, "k", "a", NODE_1, () -> KvResult.unknown(504, "{\"error\":\"outcome unknown\"}"));
    history.record(1, Kind.PUT, "other", "x", NODE_1, () -> KvResult.ok(200, "x", 3));
    history.record(2, Kind.GET, "k", null, NODE_2, () -> KvResult.failed(404, "<html>Not Found</html>"));
    String dump = Files.readString(HistoryDump.write(history.operations(), "k", dir.resolve("h-k.txt")));
    assertThat(dump).contains("(2 operations)", "PUT(a) via " + NODE_1 + " -> UNKNOWN 504",
        "[1,inf]", "GET via " + NODE_2 + " -> FAILED 404", "<html>Not Found</html>").doesNotContain("other");
  }

  @Test
  void aSavedHistoryLoadsBackUnchanged(@TempDir Path dir) throws Exception {
    history.record(1, Kind.PUT, "k", "a\tb", NODE_1, () -> KvResult.ok(200, "a\tb", 5, "{\"value\":\"a\\tb\"}"));
    history.record(2, Kind.GET, "k", null, null, () -> KvResult.failed(404, "<html>\nNot Found\\N</html>"));
    history.record(2, Kind.DELETE, "k", null, NODE_2, () -> KvResult.unknown(0, null));
    assertThat(HistoryFile.load(HistoryFile.save(history.operations(), dir.resolve("all.tsv"))))
        .isEqualTo(history.operations());
  }
}
