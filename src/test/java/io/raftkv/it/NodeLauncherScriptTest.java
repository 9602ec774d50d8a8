package io.raftkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bin/raftkv-node's flag handling, through its --dry-run output (no server is started): the
 * system properties a node gets from the seed's flags, ids by position, and contradictions refused.
 */
class NodeLauncherScriptTest {

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run launcher(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "bin/raftkv-node", "--dry-run"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** A directives file the JVM cannot parse stops it before main: no node would start. */
  @Test
  void theJvmAcceptsTheCompilerDirectivesTheLauncherPasses() throws Exception {
    assertThat(Files.readString(Path.of("bin/raftkv-node")))
        .contains("-XX:CompilerDirectivesFile=$RAFTKV_HOME/server-config/jit-directives.json");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions",
        "-XX:CompilerDirectivesFile=server-config/jit-directives.json", "-version").redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("1 compiler directives added");
  }

  /** The image has no Maven: a file the launcher needs but the Dockerfile does not copy breaks every container. */
  @Test
  void theContainerImageHoldsEveryBuiltFileTheLauncherUses() throws Exception {
    String scripts = Files.readString(Path.of("bin/raftkv-node")) + Files.readString(Path.of("bin/lib/raftkv-common.sh"));
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\$RAFTKV_HOME\"?/target/([A-Za-z0-9_.-]+)").matcher(scripts);
    while (m.find()) used.add(m.group(1));
    used.remove("cds"); // made at the first start (or trained while the image is built)
    assertThat(used).contains("raftkv-thin.war", "raftkv-early.jar", "early-lib", "payara-micro.jar");
    String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
    assertThat(used).allSatisfy(name -> assertThat(dockerfile).as("docker/Dockerfile copies target/" + name)
        .contains("/src/target/" + name));
  }

  /** docker/compose.yaml runs the image's entry point: bin/raftkv-node --foreground with these flags. */
  @Test
  void theComposeNodesGiveTheLauncherFlagsItAccepts() throws Exception {
    String compose = Files.readString(Path.of("docker/compose.yaml"));
    Matcher m = Pattern.compile("hostname: (n\\d)\\s+command: \\[([^]]*)]").matcher(compose);
    int nodes = 0;
    while (m.find()) {
      nodes++;
      List<String> args = new ArrayList<>(List.of("--data=/data", "--host=" + m.group(1), "--http=:8080", "--raft=:9090"));
      Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(m.group(2));
      while (quoted.find()) args.add(quoted.group(1));
      Run run = launcher(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("raftkv.node.id=" + m.group(1).substring(1) + "\n",
          "raftkv.cluster=1@n1:9090,2@n2:9090,3@n3:9090\n", "raftkv.peer.address=" + m.group(1) + ":9090\n");
    }
    assertThat(nodes).isEqualTo(3);
  }

  @Test
  void theSeedFlagsGiveEveryNodeTheSameClusterAndItsPositionAsId() throws Exception {
    String[][] nodes = {
        {"--id=1", "--http=:8080", "--raft=:9090", "--peers=localhost:9091,localhost:9092"},
        {"--id=2", "--http=:8081", "--raft=:9091", "--peers=localhost:9090,localhost:9092"},
        {"--id=3", "--http=:8082", "--raft=:9092", "--peers=localhost:9090,localhost:9091"}};
    for (int i = 0; i < nodes.length; i++) {
      Run run = launcher(nodes[i]);
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains(
          "raftkv.node.id=" + (i + 1) + "\n",
          "raftkv.peer.address=127.0.0.1:909" + i + "\n",
          "raftkv.http.address=127.0.0.1:808" + i + "\n",
          "raftkv.cluster=1@127.0.0.1:9090,2@127.0.0.1:9091,3@127.0.0.1:9092\n",
          "raftkv.cluster.http=1@127.0.0.1:8080,2@127.0.0.1:8081,3@127.0.0.1:8082\n",
          "raftkv.data.dir=./data/node-" + (i + 1) + "\n");
    }
  }

  @Test
  void withoutIdTheIdIsThePositionOfThisNodesAddressAmongAllPeersSortedByPort() throws Exception {
    Run run = launcher("--raft=:9100", "--http=:8100", "--peers=127.0.0.1:9099,127.0.0.1:10000", "--data=/tmp/x");
    assertThat(run.stdout()).contains("raftkv.node.id=2\n",
        "raftkv.cluster=1@127.0.0.1:9099,2@127.0.0.1:9100,3@127.0.0.1:10000\n", "raftkv.data.dir=/tmp/x\n");
  }

  @Test
  void explicitIdsAndHostsAreKept() throws Exception {
    Run run = launcher("--id=7", "--host=10.0.0.7", "--raft=:9090", "--http=:8080",
        "--peers=3@10.0.0.3:9090,5@10.0.0.5:9090", "--cluster-state=existing", "--join=http://10.0.0.3:8080");
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains(
        "raftkv.cluster=3@10.0.0.3:9090,5@10.0.0.5:9090,7@10.0.0.7:9090\n",
        "raftkv.cluster.http=3@10.0.0.3:8080,5@10.0.0.5:8080,7@10.0.0.7:8080\n",
        "raftkv.cluster.state=existing\n", "raftkv.join=http://10.0.0.3:8080\n");
  }

  @Test
  void contradictionsAreRefusedWithTheReason() throws Exception {
    Run wrongId = launcher("--id=1", "--raft=:9091", "--peers=:9090,:9092");
    assertThat(wrongId.exitCode()).isNotZero();
    assertThat(wrongId.stderr()).contains("--id=1 contradicts the peer list");

    Run mixed = launcher("--id=1", "--peers=2@h:1,h:2");
    assertThat(mixed.exitCode()).isNotZero();
    assertThat(mixed.stderr()).contains("mixes");

    Run duplicate = launcher("--id=2", "--peers=2@h:9091");
    assertThat(duplicate.exitCode()).isNotZero();
    assertThat(duplicate.stderr()).contains("id 2 is given twice");

    Run badPort = launcher("--raft=:99999");
    assertThat(badPort.exitCode()).isNotZero();
    assertThat(badPort.stderr()).contains("bad --raft");
  }
}
