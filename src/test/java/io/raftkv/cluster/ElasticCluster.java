package io.raftkv.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cluster of real nodes whose membership changes during a test (unlike {@link ClusterHarness}, whose
 * nodes are fixed): founding nodes start with {@code bin/raftkv-node --peers=...}, later ones with
 * {@code bin/raftkv-node --join=http://member}, and all of them may get extra {@code -D} settings
 * (small snapshot thresholds). Node n lives on 127.0.S.(10+n), S chosen per test class so that test
 * classes running at the same time never share an address. Closing kills every node it started.
 */
final class ElasticCluster implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("raftkv.it.startTimeoutSeconds", 180));

  private final Path workDir;
  private final int subnet;
  private final List<String> extraArgs;
  private final Map<Integer, NodeProcess> nodes = new LinkedHashMap<>();
  private final Set<Integer> down = new HashSet<>();
  private final Map<Integer, NodeSpec> reserved = new HashMap<>();
  private final Set<Integer> ports = new HashSet<>();
  private final java.util.Random random = new java.util.Random();
  private final Thread shutdownHook = new Thread(this::destroyAll, "elastic-cluster-cleanup");

  private ElasticCluster(Path workDir, int subnet, List<String> extraArgs) {
    this.workDir = workDir;
    this.subnet = subnet;
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** Starts nodes 1..size as the founding voters and waits until each serves. */
  static ElasticCluster start(String testName, int subnet, int size, List<String> extraArgs) throws IOException {
    Path dir = Path.of("target", "cluster-it", testName).toAbsolutePath();
    deleteRecursively(dir);
    Files.createDirectories(dir);
    ElasticCluster cluster = new ElasticCluster(dir, subnet, extraArgs);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    try {
      List<NodeSpec> specs = new ArrayList<>();
      for (int id = 1; id <= size; id++) specs.add(cluster.allocate(id));
      String peers = specs.stream().map(NodeSpec::peerEntry).collect(Collectors.joining(","));
      String https = specs.stream().map(NodeSpec::httpAddress).collect(Collectors.joining(","));
      for (NodeSpec spec : specs) {
        List<String> command = cluster.baseCommand(spec);
        command.add("--peers=" + peers);
        command.add("--peers-http=" + https);
        cluster.launch(spec, command);
      }
      for (NodeSpec spec : specs) cluster.awaitStarted(spec.id());
      return cluster;
    } catch (IOException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Starts node {@code id} with {@code --join} through member {@code via}; returns once the launcher
   * saw it become a voter (the script waits for that).
   */
  void join(int id, int via) throws IOException {
    NodeSpec spec = reserved.containsKey(id) ? reserved.remove(id) : allocate(id);
    List<String> command = baseCommand(spec);
    command.add("--join=http://" + spec(via).httpAddress());
    launch(spec, command);
    awaitStarted(id);
  }

  /**
   * Starts node {@code id} (reserved or new) as a member-to-be of the running cluster without
   * {@code --join}: {@code --cluster-state=existing} with the given members' addresses, so nothing asks
   * to add it; the leader must do the rest (the node was added by hand before). Waits until it serves.
   */
  void startExisting(int id, List<Integer> membersToContact) throws IOException {
    NodeSpec spec = reserved.containsKey(id) ? reserved.remove(id) : allocate(id);
    List<String> command = baseCommand(spec);
    command.add("--cluster-state=existing");
    command.add("--peers=" + membersToContact.stream().map(m -> spec(m).peerEntry()).collect(Collectors.joining(",")));
    command.add("--peers-http=" + membersToContact.stream().map(m -> spec(m).httpAddress()).collect(Collectors.joining(",")));
    launch(spec, command);
    awaitStarted(id);
  }

  /**
   * Waits for the launcher; retries the start once when Payara Micro's HTTP listener failed to come
   * up ("GrizzlyProxy is NULL": seen on 2 of ~30 starts on the loaded machine; the node then never
   * serves HTTP and the launcher stops it). The node keeps its data, so a retry is an ordinary restart.
   */
  private void awaitStarted(int id) throws IOException {
    try {
      node(id).awaitStarted(START_TIMEOUT);
    } catch (AssertionError e) {
      if (!String.valueOf(e.getMessage()).contains("GrizzlyProxy is NULL")) throw e;
      System.err.println("node " + id + ": Payara's HTTP listener failed to start; starting it once more");
      node(id).destroy();
      node(id).start();
      node(id).awaitStarted(START_TIMEOUT);
    }
  }

  /** Picks the addresses node {@code id} will have, before it is started (to add it by hand first). */
  NodeSpec reserve(int id) throws IOException {
    NodeSpec spec = allocate(id);
    reserved.put(id, spec);
    return spec;
  }

  private NodeSpec allocate(int id) throws IOException {
    return new NodeSpec(id, "127.0." + subnet + "." + (10 + id), freePort(), freePort(),
        workDir.resolve("data").resolve("node-" + id), workDir.resolve("node-" + id + ".log"));
  }

  private List<String> baseCommand(NodeSpec spec) {
    List<String> command = new ArrayList<>(List.of(Path.of("bin", "raftkv-node").toAbsolutePath().toString(),
        "--id=" + spec.id(), "--http=" + spec.httpAddress(), "--raft=" + spec.peerAddress(),
        "--data=" + spec.dataDir(), "--host=" + spec.host(), "--heap=" + ClusterHarness.NODE_HEAP,
        "--timeout=" + START_TIMEOUT.toSeconds()));
    command.addAll(extraArgs);
    return command;
  }

  private void launch(NodeSpec spec, List<String> command) throws IOException {
    NodeProcess process = new NodeProcess(spec, command, Map.of("RAFTKV_JAVA_OPTS", ClusterHarness.NODE_JAVA_OPTS));
    nodes.put(spec.id(), process);
    process.start();
    down.remove(spec.id());
  }

  /**
   * A free port below Linux's ephemeral range (32768+). Ports from {@code new ServerSocket(0)} lie in
   * that range, where the machine's many outgoing connections take local ports too: twice a node's
   * HTTP listener found its port taken by the time Payara bound it ("GrizzlyProxy is NULL") and the
   * node never served.
   */
  private int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      if (ports.contains(port)) continue;
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
        ports.add(port);
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port found in 20000-31999");
  }

  // ---- lifecycle of single nodes --------------------------------------------------------------

  /** SIGTERM (clean shutdown), SIGKILL after a grace period. */
  void stop(int id) {
    node(id).stop(Duration.ofSeconds(30));
    down.add(id);
  }

  void kill9(int id) {
    node(id).kill9();
    down.add(id);
  }

  /** Starts a stopped node again with its original command and data; waits until it serves. */
  void restart(int id) throws IOException {
    node(id).start();
    down.remove(id);
    awaitStarted(id);
  }

  /** Runs {@code bin/raftkv-node --leave} for the node: it is removed from the cluster, then stopped. */
  void leave(int id) throws IOException, InterruptedException {
    NodeSpec spec = spec(id);
    Process p = new ProcessBuilder(Path.of("bin", "raftkv-node").toAbsolutePath().toString(), "--leave",
        "--id=" + id, "--http=" + spec.httpAddress(), "--raft=" + spec.peerAddress(), "--data=" + spec.dataDir(),
        "--host=" + spec.host())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile())).start();
    if (!p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/raftkv-node --leave for node " + id + " hung" + node(id).diagnostics());
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("bin/raftkv-node --leave for node " + id + " failed" + node(id).diagnostics());
    }
    node(id).destroy(); // the script stopped it already; this collects the node's log
    down.add(id);
  }

  boolean isAlive(int id) {
    return node(id).isAlive();
  }

  /** Nodes started here that are not stopped. */
  List<Integer> running() {
    return nodes.keySet().stream().filter(id -> !down.contains(id)).toList();
  }

  URI uri(int id) {
    return spec(id).baseUri();
  }

  NodeSpec spec(int id) {
    return node(id).spec();
  }

  String diagnostics(int id) {
    return node(id).diagnostics();
  }

  Path workDir() {
    return workDir;
  }

  private NodeProcess node(int id) {
    NodeProcess p = nodes.get(id);
    if (p == null) throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
    return p;
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private void destroyAll() {
    for (NodeProcess p : nodes.values()) {
      try {
        p.destroy();
      } catch (RuntimeException e) {
        System.err.println("cleanup of node " + p.spec().id() + " failed: " + e);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
