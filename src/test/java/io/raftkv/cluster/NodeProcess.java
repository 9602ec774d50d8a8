package io.raftkv.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One node's operating-system process, started through {@code bin/raftkv-node} the way
 * {@code bin/raftkv-cluster} starts it: the script launches the JVM in its own session, waits until
 * the node reports ready and exits, leaving the node running. Signals go to the JVM's pid from the
 * pid file the script writes. The script's output is appended to the node's log file in the test
 * directory, followed by the node's own log of each run when that run ends.
 */
final class NodeProcess {
  private final NodeSpec spec;
  private final List<String> command;
  private final Map<String, String> environment;
  private Process launcher;
  private long jvmPid = -1;
  private int runs;

  NodeProcess(NodeSpec spec, List<String> command, Map<String, String> environment) {
    this.spec = spec;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
  }

  NodeSpec spec() {
    return spec;
  }

  /** Runs the launcher script; returns at once ({@link #awaitStarted} waits for the outcome). */
  void start() throws IOException {
    Files.createDirectories(spec.dataDir());
    Files.deleteIfExists(spec.pidFile());
    runs++;
    appendToLog("=== run " + runs + ": " + String.join(" ", command) + System.lineSeparator());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
    builder.environment().putAll(environment);
    launcher = builder.start();
    jvmPid = -1;
  }

  /**
   * Waits until the launcher script has seen the node ready and exited; fails with the script's and
   * the node's log when it reports a failed start or does not finish within {@code timeout}.
   */
  void awaitStarted(Duration timeout) {
    try {
      if (!launcher.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("node " + spec.id() + " not ready within " + timeout + diagnostics());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting node " + spec.id(), e);
    }
    if (launcher.exitValue() != 0) {
      throw new AssertionError("bin/raftkv-node failed for node " + spec.id() + " (exit "
          + launcher.exitValue() + ")" + diagnostics());
    }
    jvmPid = readPidFile().map(NodeProcess::javaProcessAt).orElseThrow(() -> new AssertionError(
        "node " + spec.id() + " started but wrote no pid file " + spec.pidFile() + diagnostics()));
  }

  /** True while the node's JVM runs (or, before it is known, while the launcher runs). */
  boolean isAlive() {
    if (jvmPid > 0) {
      return jvmHandle().map(ProcessHandle::isAlive).orElse(false);
    }
    return launcher != null && launcher.isAlive();
  }

  long pid() {
    if (jvmPid <= 0) {
      throw new IllegalStateException("node " + spec.id() + " has not been started");
    }
    return jvmPid;
  }

  void signal(String signal) {
    runKill(signal, pid());
  }

  /** SIGKILL, then wait until the process is gone so its ports and files are free. */
  void kill9() {
    signal("KILL");
    awaitExit(Duration.ofSeconds(15));
    collectNodeLog();
  }

  /** SIGTERM (a clean shutdown); SIGKILL when it has not exited within {@code grace}. */
  void stop(Duration grace) {
    signal("TERM");
    if (!awaitExit(grace)) {
      signal("KILL");
      awaitExit(Duration.ofSeconds(15));
    }
    collectNodeLog();
  }

  /** Best-effort SIGKILL of the node and anything the launcher started; never throws. */
  void destroy() {
    if (launcher != null) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
    // the JVM runs in its own session, so killing the launcher does not reach it
    Optional<Long> pid = jvmPid > 0 ? Optional.of(jvmPid) : readPidFile();
    pid.flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    jvmPid = pid.orElse(-1L);
    awaitExit(Duration.ofSeconds(10));
    collectNodeLog();
  }

  /** The last lines of the launcher's output and of the node's own log, for failure messages. */
  String diagnostics() {
    return System.lineSeparator() + "--- launcher output (" + spec.logFile() + "):" + System.lineSeparator()
        + tail(spec.logFile(), 15) + System.lineSeparator() + "--- node log (" + nodeLog() + "):"
        + System.lineSeparator() + tail(nodeLog(), 50);
  }

  private Path nodeLog() {
    return spec.dataDir().resolve("node.log");
  }

  /** Moves the node's own log of the run that just ended into the test's log file. */
  private void collectNodeLog() {
    try {
      if (Files.exists(nodeLog())) {
        appendToLog("=== node log of run " + runs + System.lineSeparator() + Files.readString(nodeLog()));
        Files.delete(nodeLog());
      }
    } catch (IOException e) {
      System.err.println("could not collect " + nodeLog() + ": " + e);
    }
  }

  private void appendToLog(String text) throws IOException {
    Files.writeString(spec.logFile(), text, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private boolean awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<ProcessHandle> jvm = jvmHandle();
    while (System.nanoTime() < deadline) {
      if (jvm.map(h -> !h.isAlive()).orElse(true)) {
        return true;
      }
      ClusterHarness.sleep(Duration.ofMillis(50));
    }
    return false;
  }

  private Optional<ProcessHandle> jvmHandle() {
    return jvmPid > 0 ? ProcessHandle.of(jvmPid) : Optional.empty();
  }

  private Optional<Long> readPidFile() {
    try {
      String text = Files.readString(spec.pidFile()).trim();
      return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** When the pid file names a wrapper shell, the JVM is its java descendant. */
  private static long javaProcessAt(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || isJava(handle.get())) {
      return pid;
    }
    return handle.get().descendants().filter(NodeProcess::isJava).findFirst()
        .map(ProcessHandle::pid).orElse(pid);
  }

  private static boolean isJava(ProcessHandle handle) {
    return handle.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
  }

  private static void runKill(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -s " + signal + " " + pid + " hung");
      }
      // KILL may race with a node that is already gone; any other signal must reach a live JVM.
      if (kill.exitValue() != 0 && !signal.equals("KILL")) {
        throw new IllegalStateException("kill -s " + signal + " " + pid + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("kill -s " + signal + " " + pid + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + pid, e);
    }
  }

}
