package io.raftkv.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One node's operating-system process, started through {@code bin/raftkv-node} (the code path
 * {@code bin/raftkv-cluster} uses) and signalled through the pid file the script writes, so a signal
 * reaches the JVM itself and not a wrapper shell.
 */
final class NodeProcess {
  private static final Duration PID_FILE_WAIT = Duration.ofSeconds(15);

  private final NodeSpec spec;
  private final List<String> command;
  private final Map<String, String> environment;
  private Process launcher;
  private long jvmPid = -1;

  NodeProcess(NodeSpec spec, List<String> command, Map<String, String> environment) {
    this.spec = spec;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
  }

  NodeSpec spec() {
    return spec;
  }

  void start() throws IOException {
    Files.createDirectories(spec.dataDir());
    Files.deleteIfExists(spec.pidFile());
    Files.writeString(spec.logFile(), "=== starting: " + String.join(" ", command) + System.lineSeparator(),
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
    builder.environment().putAll(environment);
    launcher = builder.start();
    jvmPid = -1;
  }

  /** True while the launcher (and so the node) has not exited. */
  boolean isAlive() {
    return launcher != null && launcher.isAlive() || jvmHandle().map(ProcessHandle::isAlive).orElse(false);
  }

  /** The node JVM's pid: from the pid file, or the launcher's own pid when the script exec'ed java. */
  long pid() {
    if (jvmPid > 0) {
      return jvmPid;
    }
    long deadline = System.nanoTime() + PID_FILE_WAIT.toNanos();
    while (System.nanoTime() < deadline && launcher.isAlive()) {
      Optional<Long> fromFile = readPidFile();
      if (fromFile.isPresent()) {
        jvmPid = javaProcessAt(fromFile.get());
        return jvmPid;
      }
      sleep(100);
    }
    throw new IllegalStateException("node " + spec.id() + " wrote no pid file " + spec.pidFile()
        + " (alive=" + launcher.isAlive() + "); log tail:\n" + logTail(40));
  }

  void signal(String signal) {
    long target = pid();
    runKill(signal, target);
  }

  /** SIGKILL, then wait until the process is gone so its ports and files are free. */
  void kill9() {
    signal("KILL");
    awaitExit(Duration.ofSeconds(15));
  }

  /** SIGTERM (a clean shutdown); SIGKILL when it has not exited within {@code grace}. */
  void stop(Duration grace) {
    signal("TERM");
    if (!awaitExit(grace)) {
      signal("KILL");
      awaitExit(Duration.ofSeconds(15));
    }
  }

  /** Best-effort SIGKILL of the node and anything the launcher started; never throws. */
  void destroy() {
    jvmHandle().ifPresent(ProcessHandle::destroyForcibly);
    if (launcher != null) {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(spec.logFile(), StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private boolean awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<ProcessHandle> jvm = jvmHandle();
    while (System.nanoTime() < deadline) {
      boolean jvmGone = jvm.map(h -> !h.isAlive()).orElse(true);
      if (jvmGone && !launcher.isAlive()) {
        return true;
      }
      sleep(50);
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
