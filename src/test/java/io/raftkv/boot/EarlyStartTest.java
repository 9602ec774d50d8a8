package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class EarlyStartTest {

  @Test
  void aSystemPropertyIsFoundUnderItsOwnName() {
    System.setProperty("raftkv.test.early.lookup", "from-property");
    try {
      assertThat(EarlyStart.systemOrEnvironment("raftkv.test.early.lookup")).contains("from-property");
    } finally {
      System.clearProperty("raftkv.test.early.lookup");
    }
    assertThat(EarlyStart.systemOrEnvironment("raftkv.test.early.absent")).isEmpty();
  }

  @Test
  void disabledOrJoiningNodesAreLeftToTheDeployment() {
    EarlyStart.begin(lookup(Map.of(EarlyStart.ENABLED, "false", "raftkv.node.id", "1")));
    assertThat(EarlyStart.started()).as("raftkv.early.start=false").isEmpty();
    EarlyStart.begin(lookup(Map.of("raftkv.join", "http://127.0.0.1:1", "raftkv.node.id", "1")));
    assertThat(EarlyStart.started()).as("a node that joins asks the cluster over HTTP first").isEmpty();
  }

  private static Function<String, Optional<String>> lookup(Map<String, String> values) {
    return key -> Optional.ofNullable(values.get(key));
  }
}
