package io.raftkv.raft.scenario;

import io.raftkv.raft.Entry;
import io.raftkv.raft.Message;
import io.raftkv.raft.SnapshotMeta;
import io.raftkv.raft.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Read-only commands that print state: roles, logs, progress, applied data, in-flight messages. */
final class InspectCommands {

  private final InteractionEnv env;

  private InspectCommands(InteractionEnv env) {
    this.env = env;
  }

  static void register(InteractionEnv env) {
    InspectCommands c = new InspectCommands(env);
    env.register("raft-state", c::raftState);
    env.register("raft-log", c::raftLog);
    env.register("status", c::status);
    env.register("applied", c::applied);
    env.register("msgs", c::msgs);
  }

  /** {@code raft-state}: one line per node: role, term, leader, commit, applied, last index. */
  private void raftState(ScenarioCommand cmd, List<String> out) {
    for (SimNode node : env.nodes.values()) {
      if (!node.isUp()) {
        out.add(node.id + ": DOWN (durable " + Format.hardState(node.storage.hardState()) + " last="
            + node.storage.lastIndex() + ")");
        continue;
      }
      Status s = node.raft().status();
      out.add(node.id + ": " + s.role() + " term=" + s.term() + " leader=" + s.leader() + " commit=" + s.commitIndex()
          + " applied=" + node.appliedIndex() + " last=" + s.lastIndex());
    }
  }

  /** {@code raft-log ID}: the durable log (and snapshot) of one node. */
  private void raftLog(ScenarioCommand cmd, List<String> out) {
    SimNode node = env.node(cmd.id(0));
    SnapshotMeta snap = node.storage.snapshot();
    if (!snap.isEmpty()) out.add("snapshot " + Format.snapshot(snap));
    List<Entry> entries = node.logEntries();
    if (entries.isEmpty()) out.add("log is empty");
    entries.forEach(e -> out.add(Format.entry(e)));
  }

  /** {@code status ID}: the core's Status, with per-peer progress on a leader. */
  private void status(ScenarioCommand cmd, List<String> out) {
    Status s = env.liveNode(cmd.id(0)).raft().status();
    out.add(s.id() + ": " + s.role() + " term=" + s.term() + " vote=" + s.vote() + " leader=" + s.leader()
        + " commit=" + s.commitIndex() + " applied=" + s.appliedIndex() + " last=" + s.lastIndex()
        + " transferee=" + s.leadTransferee());
    out.add("conf: " + Format.conf(s.conf()));
    for (Map.Entry<Long, Status.PeerProgress> p : new TreeMap<>(s.progress()).entrySet()) {
      Status.PeerProgress pr = p.getValue();
      out.add("progress " + p.getKey() + ": " + pr.state() + " match=" + pr.match() + " next=" + pr.next()
          + " active=" + pr.recentActive() + " inflight=" + pr.inflight());
    }
  }

  /** {@code applied ID}: what the node's state machine holds (index:data of applied commands). */
  private void applied(ScenarioCommand cmd, List<String> out) {
    SimNode node = env.node(cmd.id(0));
    StringBuilder sb = new StringBuilder("applied=" + node.appliedIndex() + ":");
    for (SimNode.Applied a : node.applied()) sb.append(' ').append(a.index()).append(':').append(a.data());
    out.add(sb.toString());
  }

  /** {@code msgs}: messages in flight, in send order. */
  private void msgs(ScenarioCommand cmd, List<String> out) {
    List<Message> inFlight = env.network.inFlight();
    if (inFlight.isEmpty()) out.add("no messages in flight");
    inFlight.forEach(m -> out.add(m.toString()));
  }
}
