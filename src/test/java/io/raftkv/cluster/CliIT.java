package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/raftkv's jar (target/raftkv-cli.jar, run as `java -jar` like the script does) against a real
 * 3-node cluster: key commands, status, members list, leader show/transfer, and --endpoints failover
 * when the first endpoint's node is down.
 */
class CliIT {
  private static final Duration COMMAND_BOUND = Duration.ofSeconds(60);
  private static ClusterHarness cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = ClusterHarness.start("CliIT", 3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) cluster.close();
  }

  record Result(int exit, String out, String err) {}

  private static String endpoints(List<Integer> ids) {
    return String.join(",", ids.stream().map(id -> cluster.uri(id).toString().replaceAll("/$", "")).toList());
  }

  private static Result cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/raftkv-cli.jar",
        "--endpoints=" + endpoints(cluster.ids())));
    command.addAll(List.of(args));
    return run(command);
  }

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Path outFile = Files.createTempFile(cluster.workDir(), "cli", ".out");
    Path errFile = Files.createTempFile(cluster.workDir(), "cli", ".err");
    Process process = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
    if (!process.waitFor(COMMAND_BOUND.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("CLI did not finish within " + COMMAND_BOUND + ": " + command);
    }
    return new Result(process.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8), Files.readString(errFile, StandardCharsets.UTF_8));
  }

  @Test
  void keyCommandsStatusMembersAndLeaderTransferOnARealCluster() throws Exception {
    int leader = cluster.awaitLeader(Duration.ofSeconds(60));
    String key = "cli-" + UUID.randomUUID();

    assertThat(cli("put", key, "one").exit()).isZero();
    Result get = cli("get", key);
    assertThat(get.exit()).isZero();
    assertThat(get.out()).isEqualTo("one\n");
    assertThat(cli("cas", key, "two", "--prev-value", "nope").exit()).isEqualTo(4);
    assertThat(cli("cas", key, "two", "--prev-value", "one").exit()).isZero();
    assertThat(cli("-o", "json", "get", key).out()).contains("\"value\":\"two\"");
    assertThat(cli("del", key).exit()).isZero();
    Result missing = cli("get", key);
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err()).isEqualTo("raftkv: 404 key not found\n");

    Result status = cli("status");
    assertThat(status.exit()).as(status.err()).isZero();
    List<String> lines = status.out().lines().toList();
    assertThat(lines.get(0)).startsWith("ID").contains("ROLE", "TERM", "COMMIT", "APPLIED", "LAG", "SNAPSHOT", "DISK");
    assertThat(lines).hasSize(4);
    assertThat(lines.stream().filter(l -> l.contains(" leader ")).count()).isEqualTo(1);
    assertThat(cli("members", "list").out().lines().count()).isEqualTo(4);

    int target = cluster.ids().stream().filter(id -> id != leader).findFirst().orElseThrow();
    Result transfer = cli("leader", "transfer", Integer.toString(target));
    assertThat(transfer.exit()).as(transfer.err()).isZero();
    assertThat(transfer.out()).startsWith("leader " + target + " ");
    assertThat(cli("leader", "show").out()).startsWith("leader " + target + " ");
  }

  @Test
  void endpointsFailOverWhenTheFirstNodeIsDown() throws Exception {
    cluster.awaitLeader(Duration.ofSeconds(60));
    int first = cluster.ids().get(0);
    cluster.stop(first);
    try {
      cluster.awaitLeaderAmong(cluster.ids().subList(1, 3), Duration.ofSeconds(60));
      String key = "cli-failover-" + UUID.randomUUID();
      Result put = cli("put", key, "v");
      assertThat(put.exit()).as(put.err()).isZero();
      assertThat(cli("get", key).out()).isEqualTo("v\n");
      Result status = cli("status");
      assertThat(status.exit()).isEqualTo(5); // one member unreachable
      assertThat(status.out()).contains("unreachable");
    } finally {
      cluster.restart(first);
      cluster.awaitRestarted(first);
    }
  }
}
