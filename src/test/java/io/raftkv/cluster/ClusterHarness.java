package io.raftkv.cluster;

import io.raftkv.kv.ClusterView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real cluster of raftkv nodes on this machine, each a Payara Micro process started with
 * {@code bin/raftkv-node} on its own loopback address 127.0.0.(10+id). Offers the faults the cluster
 * tests need (kill -9, SIGTERM, SIGSTOP/SIGCONT, restart, network isolation) and bounded waits on
 * the cluster's state. Closing it (or the JVM exiting) kills every node and removes the iptables rules.
 */
public final class ClusterHarness implements AutoCloseable {
  /** Heap of each node: small, so three nodes fit beside the build on a small machine. */
  static final String NODE_HEAP = System.getProperty("raftkv.it.nodeHeap", "256m");
  /** Extra JVM options for each node (RAFTKV_JAVA_OPTS); C1 only starts Payara faster on 2 cores. */
  static final String NODE_JAVA_OPTS = System.getProperty("raftkv.it.nodeJavaOpts", "-XX:TieredStopAtLevel=1");
  /**
   * How long a node may take to be ready. The first start after a build includes the class-data-sharing
   * training run (bin/lib/raftkv-common.sh), which the other nodes starting at once wait for: a clean-clone
   * CI rehearsal saw TxnApiIT and WatchIT, the first clusters of a build, time out at 150 s while later
   * ones started in ~70 s.
   */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(
      Long.getLong("raftkv.it.startTimeoutSeconds", 300));
  private static final Duration POLL = Duration.ofMillis(100);

  /** REMOVED: taken out of the membership and stopped for good (its id is never reused). */
  enum State { RUNNING, PAUSED, DOWN, REMOVED }

  /**
   * How to run the nodes beyond the defaults: the iptables chain for network faults, extra
   * {@code bin/raftkv-node} arguments (e.g. {@code -Draftkv.read.lease=true}) and extra environment
   * for the launcher (e.g. {@code RAFTKV_JAVA}, a wrapper that runs a node under faketime).
   */
  public record Options(String chain, List<String> extraArgs, Map<String, String> environment) {
    public static Options defaults() {
      return new Options(IptablesFaults.CHAIN, List.of(), Map.of());
    }
  }

  private final Path workDir;
  private final Options options;
  private final Set<Integer> ports = new HashSet<>();
  // Written by the thread of a fault and by restarts running in the background (the torture nemesis).
  private final Map<Integer, NodeProcess> nodes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<Integer, State> states = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpKvClient client = new HttpKvClient(Duration.ofMillis(500), Duration.ofSeconds(2));
  private final IptablesFaults network;
  private final Thread shutdownHook = new Thread(this::destroyEverything, "cluster-harness-cleanup");
  private Duration timeToReady;

  private ClusterHarness(Path workDir, IptablesFaults network, Options options) {
    this.workDir = workDir;
    this.network = network;
    this.options = options;
  }

  /**
   * Starts {@code size} nodes at once and waits (bounded) until every one serves HTTP and all agree
   * on a leader. Logs go to {@code target/cluster-it/<testName>/node-N.log}.
   */
  public static ClusterHarness start(String testName, int size) throws IOException {
    return start(Path.of("target", "cluster-it", testName), size, Options.defaults());
  }

  /** As {@link #start(String, int)}, with logs and data under {@code workDir} and the given options. */
  public static ClusterHarness start(Path workDir, int size, Options options) throws IOException {
    workDir = workDir.toAbsolutePath();
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    ClusterHarness harness = new ClusterHarness(workDir, IptablesFaults.install(options.chain()), options);
    Runtime.getRuntime().addShutdownHook(harness.shutdownHook);
    try {
      harness.launch(size);
      return harness;
    } catch (RuntimeException | IOException | Error e) {
      harness.close();
      throw e;
    }
  }

  private void launch(int size) throws IOException {
    List<NodeSpec> specs = allocate(size);
    for (NodeSpec spec : specs) {
      nodes.put(spec.id(), new NodeProcess(spec, command(spec, specs), environment()));
      states.put(spec.id(), State.DOWN);
    }
    timeToReady = restartAll();
  }

  private List<NodeSpec> allocate(int size) throws IOException {
    List<NodeSpec> specs = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      specs.add(spec(id));
    }
    return specs;
  }

  private NodeSpec spec(int id) throws IOException {
    String host = hostOf(id);
    return new NodeSpec(id, host, freePort(ports), freePort(ports),
        workDir.resolve("data").resolve("node-" + id), workDir.resolve("node-" + id + ".log"));
  }

  /**
   * A port free on every address (HTTP may bind the wildcard), distinct within this cluster, and below
   * Linux's ephemeral range (32768+): a port from {@code new ServerSocket(0)} can be taken as the source
   * port of some outgoing connection by the time a node restarts on it, and Payara then fails to bind
   * its listener ("GrizzlyProxy is NULL"), which a test after kill -9 of all nodes hit.
   */
  private static int freePort(Set<Integer> taken) throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      if (taken.contains(port)) continue;
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
        taken.add(socket.getLocalPort());
        return port;
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("no free port found in 20000-31999");
  }

  private List<String> command(NodeSpec spec, List<NodeSpec> all) {
    String peers = all.stream().map(NodeSpec::peerEntry).collect(Collectors.joining(","));
    String peersHttp = all.stream().map(NodeSpec::httpAddress).collect(Collectors.joining(","));
    return commandWith(spec, List.of("--peers=" + peers, "--peers-http=" + peersHttp));
  }

  private List<String> commandWith(NodeSpec spec, List<String> membershipArgs) {
    Path script = Path.of("bin", "raftkv-node").toAbsolutePath();
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException("missing or not executable: " + script);
    }
    List<String> command = new ArrayList<>(List.of(script.toString(),
        "--id=" + spec.id(),
        "--http=" + spec.httpAddress(),
        "--raft=" + spec.peerAddress()));
    command.addAll(membershipArgs);
    command.addAll(List.of(
        "--data=" + spec.dataDir(),
        "--host=" + spec.host(),
        "--heap=" + NODE_HEAP,
        "--timeout=" + START_TIMEOUT.toSeconds()));
    command.addAll(options.extraArgs());
    return command;
  }

  private Map<String, String> environment() {
    Map<String, String> env = new java.util.HashMap<>(options.environment());
    env.putIfAbsent("RAFTKV_JAVA_OPTS", NODE_JAVA_OPTS);
    return env;
  }

  // ---- what the tests look at -------------------------------------------------------------

  public List<Integer> ids() {
    synchronized (nodes) {
      return List.copyOf(nodes.keySet());
    }
  }

  /** Nodes that are members (running, paused or down), not removed. */
  public List<Integer> members() {
    return ids().stream().filter(id -> states.get(id) != State.REMOVED).toList();
  }

  public URI uri(int id) {
    return node(id).spec().baseUri();
  }

  /** {@code host:port} of node {@code id}'s peer (gRPC) port. */
  public String peerAddress(int id) {
    return node(id).spec().peerAddress();
  }

  /** The loopback address node {@code id} of a cluster started by this harness binds: 127.0.0.(10+id). */
  public static String hostOf(int id) {
    return "127.0.0." + (10 + id);
  }

  public State state(int id) {
    return states.get(id);
  }

  /** Nodes that are up and not paused. */
  public List<Integer> running() {
    return ids().stream().filter(id -> states.get(id) == State.RUNNING).toList();
  }

  public Duration timeToReady() {
    return timeToReady;
  }

  public Path workDir() {
    return workDir;
  }

  /** The node's own view of the cluster, or null if it does not answer. */
  public ClusterView view(int id) {
    return client.cluster(uri(id));
  }

  /** The leader every running node agrees on, if they currently agree. */
  public Optional<Integer> leader() {
    return agreedLeader(running());
  }

  /** Waits until all running nodes agree on one leader that is itself running. */
  public int awaitLeader(Duration timeout) {
    return awaitLeaderAmong(running(), timeout);
  }

  /** Waits until every node of {@code among} names the same leader, which is one of them. */
  public int awaitLeaderAmong(Collection<Integer> among, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Integer> leader = agreedLeader(among);
      if (leader.isPresent()) {
        return leader.get();
      }
      checkAlive();
      sleep(POLL);
    }
    throw new AssertionError("no agreed leader among " + among + " within " + timeout + "; views: "
        + describeViews());
  }

  private Optional<Integer> agreedLeader(Collection<Integer> among) {
    Set<Long> leaders = new HashSet<>();
    Set<Long> terms = new HashSet<>();
    for (int id : among) {
      ClusterView view = view(id);
      if (view == null || view.leader() == null) {
        return Optional.empty();
      }
      leaders.add(view.leader());
      terms.add(view.term());
    }
    if (leaders.size() != 1 || terms.size() != 1) {
      return Optional.empty();
    }
    int leader = leaders.iterator().next().intValue();
    return among.contains(leader) ? Optional.of(leader) : Optional.empty();
  }

  /** Each node's view (or "no answer"), for assertion messages. */
  public String describeViews() {
    StringBuilder out = new StringBuilder();
    for (int id : ids()) {
      out.append(System.lineSeparator()).append("  node ").append(id).append(" [")
          .append(states.get(id)).append("]: ").append(Optional.ofNullable(view(id))
              .map(Object::toString).orElse("no answer"));
    }
    return out.toString();
  }

  // ---- faults -----------------------------------------------------------------------------

  /** kill -9: the node dies without any chance to flush or say goodbye. */
  public void kill9(int id) {
    node(id).kill9();
    states.put(id, State.DOWN);
  }

  /** SIGTERM: a clean shutdown (SIGKILL after a grace period). */
  public void stop(int id) {
    node(id).stop(Duration.ofSeconds(30));
    states.put(id, State.DOWN);
  }

  /** SIGSTOP: the JVM freezes with its sockets open. */
  public void pause(int id) {
    node(id).signal("STOP");
    states.put(id, State.PAUSED);
  }

  /** SIGCONT after {@link #pause}. */
  public void resume(int id) {
    node(id).signal("CONT");
    states.put(id, State.RUNNING);
  }

  /** Starts a stopped node again with the same addresses and data, and waits until it serves. */
  public void restart(int id) throws IOException {
    startInBackground(id);
    awaitRestarted(id);
  }

  /** Starts a stopped node again with the same addresses and data, without waiting for it. */
  public void startInBackground(int id) throws IOException {
    if (states.get(id) != State.DOWN) {
      throw new IllegalStateException("node " + id + " is " + states.get(id) + ", stop it first");
    }
    node(id).start();
    states.put(id, State.RUNNING);
  }

  /** Waits (bounded) until a node started with {@link #startInBackground} serves. */
  public void awaitRestarted(int id) {
    node(id).awaitStarted(START_TIMEOUT);
    awaitServing(id, START_TIMEOUT);
  }

  /** kill -9 of every node at once: a power cut. */
  public void killAll9() {
    for (int id : members()) {
      if (states.get(id) != State.DOWN) {
        node(id).signal("KILL");
      }
    }
    for (int id : members()) {
      kill9(id);
    }
  }

  /** Starts every stopped node at once (as after a power cut) and waits until all serve and agree on a leader. */
  public Duration restartAll() throws IOException {
    long began = System.nanoTime();
    for (int id : members()) {
      if (states.get(id) == State.DOWN) {
        node(id).start();
        states.put(id, State.RUNNING);
      }
    }
    for (int id : members()) {
      node(id).awaitStarted(START_TIMEOUT);
    }
    for (int id : members()) {
      awaitServing(id, START_TIMEOUT);
    }
    awaitLeader(START_TIMEOUT);
    return Duration.ofNanos(System.nanoTime() - began);
  }

  /** Cuts the node off from all its peers (both directions); clients still reach it. */
  public void isolate(int id) {
    List<NodeSpec> peers = members().stream().filter(other -> other != id)
        .map(other -> node(other).spec()).toList();
    network.isolate(node(id).spec(), peers);
  }

  /** Drops every packet from node {@code from} to node {@code to} (one way; replies of {@code to} still pass). */
  public void dropOneWay(int from, int to) {
    network.dropOneWay(node(from).spec(), node(to).spec());
  }

  /** Splits the members into two sides that cannot reach each other (both directions). */
  public void partition(Collection<Integer> side, Collection<Integer> otherSide) {
    for (int a : side) {
      for (int b : otherSide) {
        network.dropOneWay(node(a).spec(), node(b).spec());
        network.dropOneWay(node(b).spec(), node(a).spec());
      }
    }
  }

  /**
   * Starts a new node {@code id} with {@code bin/raftkv-node --join} through member {@code via} and
   * waits until the script saw it become a voter (the caller has made room in the membership).
   */
  public void join(int id, int via) throws IOException {
    if (nodes.containsKey(id)) {
      throw new IllegalArgumentException("node " + id + " exists; ids are never reused");
    }
    NodeSpec spec = spec(id);
    NodeProcess process = new NodeProcess(spec,
        commandWith(spec, List.of("--join=http://" + node(via).spec().httpAddress())), environment());
    nodes.put(id, process);
    states.put(id, State.RUNNING);
    process.start();
    process.awaitStarted(START_TIMEOUT);
    awaitServing(id, START_TIMEOUT);
  }

  /** Kills whatever is left of a node whose start failed, and marks it down (so it can be restarted). */
  public void markDown(int id) {
    node(id).destroy();
    states.put(id, State.DOWN);
  }

  /** Records that node {@code id} left the membership; kills it if it still runs. */
  public void markRemoved(int id) {
    node(id).destroy();
    states.put(id, State.REMOVED);
  }

  /** Removes every network fault. */
  public void heal() {
    network.heal();
  }

  public String networkRules() {
    return network.rules();
  }

  /** Waits until the node answers {@code GET /cluster}; fails early if its process exits. */
  public void awaitServing(int id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (view(id) != null) {
        return;
      }
      if (!node(id).isAlive()) {
        throw new AssertionError("node " + id + " exited while starting" + node(id).diagnostics());
      }
      sleep(Duration.ofMillis(250));
    }
    throw new AssertionError("node " + id + " did not serve HTTP within " + timeout + node(id).diagnostics());
  }

  /** Fails with the node's log when a node that should be running has died. */
  public void checkAlive() {
    for (int id : members()) {
      if (states.get(id) != State.DOWN && !node(id).isAlive()) {
        states.put(id, State.DOWN);
        throw new AssertionError("node " + id + " died unexpectedly" + node(id).diagnostics());
      }
    }
  }

  // ---- cleanup ----------------------------------------------------------------------------

  @Override
  public void close() {
    destroyEverything();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run; nothing left to do
    }
  }

  private void destroyEverything() {
    List<NodeProcess> all;
    synchronized (nodes) {
      all = List.copyOf(nodes.values());
    }
    for (NodeProcess process : all) {
      try {
        process.destroy();
      } catch (RuntimeException e) {
        System.err.println("cleanup of node " + process.spec().id() + " failed: " + e);
      }
      states.computeIfPresent(process.spec().id(), (id, state) -> state == State.REMOVED ? state : State.DOWN);
    }
    network.close();
  }

  private NodeProcess node(int id) {
    NodeProcess process = nodes.get(id);
    if (process == null) {
      throw new IllegalArgumentException("no node " + id + " in " + nodes.keySet());
    }
    return process;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
