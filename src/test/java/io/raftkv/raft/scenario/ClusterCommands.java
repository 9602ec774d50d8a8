package io.raftkv.raft.scenario;

import io.raftkv.raft.ConfState;
import io.raftkv.raft.HardState;
import io.raftkv.raft.Message;
import io.raftkv.raft.RaftConfig;
import io.raftkv.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** Commands that change the cluster's shape: nodes, crashes, partitions, compaction. */
final class ClusterCommands {

  /** Scenario defaults: short timeouts keep the printed message traffic small. */
  static final int DEFAULT_ELECTION_TICKS = 6;
  static final int DEFAULT_HEARTBEAT_TICKS = 2;

  private final InteractionEnv env;

  private ClusterCommands(InteractionEnv env) {
    this.env = env;
  }

  static void register(InteractionEnv env) {
    ClusterCommands c = new ClusterCommands(env);
    env.register("seed", (cmd, out) -> env.seed = cmd.id(0));
    env.register("add-nodes", c::addNodes);
    env.register("crash", (cmd, out) -> cmd.ids(0).forEach(id -> env.liveNode(id).crash()));
    env.register("restart", c::restart);
    env.register("compact", c::compact);
    env.register("partition", c::partition);
    env.register("heal", c::heal);
  }

  /**
   * {@code add-nodes N [voters=(..)] [learners=(..)] [election=6] [heartbeat=2] [prevote=true]
   * [checkquorum=true] [drift=1] [inflight=256] [max-size=1048576]}: creates N nodes with the next
   * free ids. With voters/learners they bootstrap that membership; without, they start empty and wait
   * to be added (and caught up) by a leader.
   */
  private void addNodes(ScenarioCommand cmd, List<String> out) {
    long count = cmd.id(0);
    ConfState bootstrap = new ConfState(new HashSet<>(cmd.getIds("voters")), new HashSet<>(cmd.getIds("learners")));
    long first = env.nodes.isEmpty() ? 1 : env.nodes.lastKey() + 1;
    for (long id = first; id < first + count; id++) {
      RaftConfig config = config(id, cmd);
      env.nodes.put(id, new SimNode(id, config, env.deviations, bootstrap, env.seed));
      out.add("added node " + id + ": election=" + config.electionTicks() + " heartbeat=" + config.heartbeatTicks()
          + " prevote=" + config.preVote() + " checkquorum=" + config.checkQuorum()
          + (bootstrap.voters().isEmpty() ? " (no bootstrap conf)" : " bootstrap " + Format.conf(bootstrap)));
    }
  }

  private static RaftConfig config(long id, ScenarioCommand cmd) {
    RaftConfig d = RaftConfig.defaults(id);
    return d.withTicks((int) cmd.getLong("election", DEFAULT_ELECTION_TICKS),
            (int) cmd.getLong("heartbeat", DEFAULT_HEARTBEAT_TICKS))
        .withMaxSizePerMsg(cmd.getLong("max-size", d.maxSizePerMsg()))
        .withMaxInflightMsgs((int) cmd.getLong("inflight", d.maxInflightMsgs()))
        .withPreVote(cmd.getBool("prevote", d.preVote()))
        .withCheckQuorum(cmd.getBool("checkquorum", d.checkQuorum()))
        .withLeaseDriftTicks((int) cmd.getLong("drift", d.leaseDriftTicks()));
  }

  /**
   * {@code restart ID [commit=N]}: a new core over the node's durable storage; state machine from its
   * snapshot. {@code commit=N} first rolls the durable commit index back to N, as a crash does when the
   * commit-only hard-state writes ({@code mustSync=false}) were still in the page cache.
   */
  private void restart(ScenarioCommand cmd, List<String> out) {
    for (long id : cmd.ids(0)) {
      SimNode node = env.node(id);
      if (node.isUp()) throw new ScriptError("node " + id + " is running; crash it first");
      if (cmd.has("commit")) loseUnsyncedCommit(node, cmd.getLong("commit", 0));
      SnapshotMeta snap = node.storage.snapshot();
      List<SimNode.Applied> state = snap.isEmpty() ? List.of() : env.snapshotPayloads.get(snap.index() + "/" + snap.term());
      node.restart(state);
      out.add("restarted " + id + ": " + Format.hardState(node.storage.hardState()) + " last=" + node.storage.lastIndex()
          + " applied=" + node.appliedIndex());
    }
  }

  private static void loseUnsyncedCommit(SimNode node, long commit) {
    HardState hs = node.storage.hardState();
    if (commit > hs.commit() || commit < node.storage.snapshot().index()) {
      throw new ScriptError("commit=" + commit + " must lie between the snapshot index and the durable commit " + hs.commit());
    }
    node.storage.setHardState(new HardState(hs.term(), hs.vote(), commit));
  }

  /** {@code compact ID INDEX}: the application snapshots its applied state at INDEX and truncates the log. */
  private void compact(ScenarioCommand cmd, List<String> out) {
    SimNode node = env.liveNode(cmd.id(0));
    long index = cmd.id(1);
    if (index > node.appliedIndex()) {
      throw new ScriptError("node " + node.id + " has applied only " + node.appliedIndex() + " < " + index);
    }
    SnapshotMeta meta = new SnapshotMeta(index, node.storage.term(index), node.confAt(index));
    env.snapshotPayloads.put(index + "/" + meta.term(), node.stateAt(index));
    node.storage.compact(index, meta.conf());
    node.raft().onCompacted(meta);
    out.add("snapshot " + Format.snapshot(meta) + "; log now [" + node.storage.firstIndex() + ", "
        + node.storage.lastIndex() + "]");
  }

  /**
   * {@code heal}: reconnects everyone. Messages sent across the partition while it lasted and not yet
   * delivered are lost, as they would be on a real cut link, so they are dropped here.
   */
  private void heal(ScenarioCommand cmd, List<String> out) {
    for (Message m : env.network.take(m -> !env.network.connected(m.from(), m.to()))) {
      out.add(m + " DROPPED (partitioned)");
      env.reportSnapshotOutcome(m, false, "");
    }
    env.network.heal();
  }

  /** {@code partition (1) (2,3)}: only nodes in the same group can exchange messages. */
  private void partition(ScenarioCommand cmd, List<String> out) {
    List<List<Long>> sides = new ArrayList<>();
    for (String side : cmd.positional()) sides.add(ScenarioCommand.parseIds(side));
    if (sides.size() < 2) throw new ScriptError("partition needs at least two groups");
    env.network.partition(sides);
  }
}
