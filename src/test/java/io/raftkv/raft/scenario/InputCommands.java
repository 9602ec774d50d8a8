package io.raftkv.raft.scenario;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.RaftNode;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import java.util.List;

/** Commands that feed local inputs to one core: ticks, proposals, reads, transfers. */
final class InputCommands {

  private final InteractionEnv env;

  private InputCommands(InteractionEnv env) {
    this.env = env;
  }

  static void register(InteractionEnv env) {
    InputCommands c = new InputCommands(env);
    env.register("campaign", c::tickElection);
    env.register("tick-election", c::tickElection);
    env.register("tick-heartbeat", c::tickHeartbeat);
    env.register("tick", c::tick);
    env.register("propose", c::propose);
    env.register("propose-conf-change", c::proposeConfChange);
    env.register("read-index", c::readIndex);
    env.register("transfer-leadership", (cmd, out) -> env.liveNode(cmd.id(0)).raft().transferLeadership(cmd.id(1)));
    env.register("report-unreachable", (cmd, out) -> env.liveNode(cmd.id(0)).raft().reportUnreachable(cmd.id(1)));
  }

  /**
   * {@code tick-election ID} (alias {@code campaign ID}): ticks until the node's randomized election
   * timeout fires: its role or term changes, or (for a non-leader that had nothing pending) it
   * produces a Ready, as a pre-candidate or candidate re-campaigning in place does. For a leader only
   * a role change counts (CheckQuorum stepping it down), since heartbeats also produce Readies. Gives
   * up after 2 x electionTicks, the longest possible timeout, and says so.
   */
  private void tickElection(ScenarioCommand cmd, List<String> out) {
    SimNode node = env.liveNode(cmd.id(0));
    RaftNode raft = node.raft();
    Status before = raft.status();
    boolean stopOnReady = before.role() != Role.LEADER && !raft.hasReady();
    int limit = 2 * node.config().electionTicks();
    for (int i = 0; i < limit; i++) {
      raft.tick();
      Status now = raft.status();
      if (now.role() != before.role() || now.term() != before.term() || (stopOnReady && raft.hasReady())) return;
    }
    out.add("no election timeout in " + limit + " ticks (still " + before.role() + " at term " + before.term() + ")");
  }

  /** {@code tick-heartbeat ID}: ticks heartbeatTicks times (one leader heartbeat interval). */
  private void tickHeartbeat(ScenarioCommand cmd, List<String> out) {
    SimNode node = env.liveNode(cmd.id(0));
    for (int i = 0; i < node.config().heartbeatTicks(); i++) node.raft().tick();
  }

  /** {@code tick ID N}: ticks exactly N times. */
  private void tick(ScenarioCommand cmd, List<String> out) {
    RaftNode raft = env.liveNode(cmd.id(0)).raft();
    long n = cmd.id(1);
    for (long i = 0; i < n; i++) raft.tick();
  }

  /** {@code propose ID DATA}: prints the index the entry got. */
  private void propose(ScenarioCommand cmd, List<String> out) {
    long index = env.liveNode(cmd.id(0)).raft().propose(Format.bytes(cmd.arg(1)));
    out.add("index " + index);
  }

  /** {@code propose-conf-change ID add-voter=N | add-learner=N | remove=N}. */
  private void proposeConfChange(ScenarioCommand cmd, List<String> out) {
    ConfChange change;
    if (cmd.has("add-voter")) {
      change = new ConfChange(ConfChange.Type.ADD_VOTER, cmd.getLong("add-voter", 0), null);
    } else if (cmd.has("add-learner")) {
      change = new ConfChange(ConfChange.Type.ADD_LEARNER, cmd.getLong("add-learner", 0), null);
    } else if (cmd.has("remove")) {
      change = new ConfChange(ConfChange.Type.REMOVE_NODE, cmd.getLong("remove", 0), null);
    } else {
      throw new ScriptError("propose-conf-change needs add-voter=, add-learner= or remove=");
    }
    long index = env.liveNode(cmd.id(0)).raft().proposeConfChange(change);
    out.add("index " + index);
  }

  /** {@code read-index ID CTX [lease=true]}: the answer shows up later as a read state. */
  private void readIndex(ScenarioCommand cmd, List<String> out) {
    env.liveNode(cmd.id(0)).raft().readIndex(Format.bytes(cmd.arg(1)), cmd.getBool("lease", false));
  }
}
