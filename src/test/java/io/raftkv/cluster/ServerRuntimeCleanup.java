package io.raftkv.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Removes the application servers' unpacked runtimes (a node's {@code payara} or {@code wildfly}
 * directory, ~70-100 MB each, rebuilt at every start) once a test class has finished, keeping the
 * nodes' logs and Raft data for a post-mortem. Without it a full build left ~7 GB under
 * {@code target/cluster-it}, and a CI run on a host with little free disk failed when JE refused to
 * write (docs/testing.md, "Disk use"). Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class ServerRuntimeCleanup implements TestExecutionListener {
  private static final Set<String> RUNTIME_DIRS = Set.of("payara", "wildfly");
  private static final int MAX_DEPTH = 6;
  private final Path clusterTests;

  public ServerRuntimeCleanup() {
    this(Path.of("target", "cluster-it"));
  }

  ServerRuntimeCleanup(Path clusterTests) {
    this.clusterTests = clusterTests;
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    test.getSource().filter(ClassSource.class::isInstance).map(ClassSource.class::cast)
        .ifPresent(source -> removeRuntimesOf(source.getJavaClass().getSimpleName()));
  }

  /** Removes the runtimes under every {@code target/cluster-it} directory named after the class. */
  void removeRuntimesOf(String testClass) {
    if (!Files.isDirectory(clusterTests)) return;
    try (Stream<Path> dirs = Files.list(clusterTests)) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(testClass)).toList()) {
        for (Path runtime : runtimesUnder(dir)) ClusterHarness.deleteRecursively(runtime);
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not remove the server runtimes of " + testClass + ": " + e);
    }
  }

  /** A runtime is a {@code payara} or {@code wildfly} directory inside a node's data directory. */
  static List<Path> runtimesUnder(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir, MAX_DEPTH)) {
      return paths.filter(Files::isDirectory)
          .filter(p -> RUNTIME_DIRS.contains(p.getFileName().toString()))
          .filter(p -> p.getParent() != null && p.getParent().getFileName().toString().startsWith("node-"))
          .toList();
    }
  }
}
