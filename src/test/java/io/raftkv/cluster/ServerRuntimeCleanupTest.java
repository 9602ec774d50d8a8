package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.TestExecutionListener;

class ServerRuntimeCleanupTest {
  @TempDir Path clusterTests;

  @Test
  void removesOnlyTheServerRuntimesOfTheFinishedClass() throws IOException {
    Path payara = file(clusterTests.resolve("SomeIT/data/node-1/payara/runtime/lib.jar"));
    Path wildfly = file(clusterTests.resolve("SomeIT-certs/run/data/node-2/wildfly/modules/x"));
    Path raftData = file(clusterTests.resolve("SomeIT/data/node-1/je/00000000.jdb"));
    Path nodeLog = file(clusterTests.resolve("SomeIT/node-1.log"));
    Path notANode = file(clusterTests.resolve("SomeIT/data/secure/payara/keep"));
    Path otherClass = file(clusterTests.resolve("OtherIT/data/node-1/payara/lib.jar"));

    new ServerRuntimeCleanup(clusterTests).removeRuntimesOf("SomeIT");

    assertThat(clusterTests.resolve("SomeIT/data/node-1/payara")).doesNotExist();
    assertThat(clusterTests.resolve("SomeIT-certs/run/data/node-2/wildfly")).doesNotExist();
    assertThat(payara).doesNotExist();
    assertThat(wildfly).doesNotExist();
    assertThat(raftData).exists();
    assertThat(nodeLog).exists();
    assertThat(notANode).exists();
    assertThat(otherClass).exists();
  }

  @Test
  void theLauncherFindsTheListener() {
    assertThat(ServiceLoader.load(TestExecutionListener.class).stream().map(ServiceLoader.Provider::type))
        .contains(ServerRuntimeCleanup.class);
  }

  private static Path file(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    return Files.writeString(path, "x");
  }
}
