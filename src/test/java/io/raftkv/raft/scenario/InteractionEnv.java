package io.raftkv.raft.scenario;

import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.TestDeviation;
import io.raftkv.raft.Ready;
import io.raftkv.raft.SnapshotMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Drives N Raft cores over in-memory storage with manual, explicit message delivery. Each command
 * returns the lines it printed; the runner compares them with the script. Command handlers live in
 * {@link ClusterCommands}, {@link InputCommands}, {@link DeliveryCommands} and {@link InspectCommands};
 * this class holds the shared state and the two primitives everything else uses: handling a Ready and
 * delivering a message.
 */
final class InteractionEnv {

  /** Scenario-wide seed; each node derives its own stream from it (see {@link SimNode}). */
  static final long DEFAULT_SEED = 1;

  final TreeMap<Long, SimNode> nodes = new TreeMap<>();
  final Network network = new Network();
  /** Snapshot payloads by "index/term", registered when a node compacts (the bytes a SNAPSHOT carries). */
  final Map<String, List<SimNode.Applied>> snapshotPayloads = new HashMap<>();
  long seed = DEFAULT_SEED;
  /** Deliberate core bugs switched on for every node; only the mutation tests set these. */
  final Set<TestDeviation> deviations;

  private final Map<String, BiConsumer<ScenarioCommand, List<String>>> handlers = new HashMap<>();
  private List<String> out = new ArrayList<>();

  InteractionEnv() {
    this(Set.of());
  }

  InteractionEnv(Set<TestDeviation> deviations) {
    this.deviations = Set.copyOf(deviations);
    ClusterCommands.register(this);
    InputCommands.register(this);
    DeliveryCommands.register(this);
    InspectCommands.register(this);
  }

  void register(String name, BiConsumer<ScenarioCommand, List<String>> handler) {
    if (handlers.put(name, handler) != null) throw new IllegalStateException("duplicate command " + name);
  }

  /** Runs one command; the output is never empty ("ok") and never contains blank lines. */
  List<String> execute(ScenarioCommand command) {
    var handler = handlers.get(command.name());
    if (handler == null) throw new ScriptError("unknown command '" + command.name() + "'; known: " + new TreeMap<>(handlers).keySet());
    out = new ArrayList<>();
    try {
      handler.accept(command, out);
    } catch (ScriptError e) {
      throw e;
    } catch (ProposalRejectedException e) {
      out.add(rejection(e));
    } catch (RuntimeException e) {
      out.add("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    List<String> lines = out.stream().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? List.of("ok") : lines;
  }

  private static String rejection(ProposalRejectedException e) {
    return "rejected: " + e.getMessage() + (e.leaderHint() != 0 ? " (leader hint " + e.leaderHint() + ")" : "");
  }

  SimNode node(long id) {
    SimNode node = nodes.get(id);
    if (node == null) throw new ScriptError("no node " + id);
    return node;
  }

  /** A node that must be running for the command to make sense. */
  SimNode liveNode(long id) {
    SimNode node = node(id);
    if (!node.isUp()) throw new ScriptError("node " + id + " is crashed");
    return node;
  }

  /** Handles one Ready the way the driver does: install, persist, send, apply, advance. */
  void processReady(SimNode node) {
    Ready rd = node.raft().ready();
    out.add("> " + node.id + " handling Ready");
    ReadyPrinter.print(rd, out);
    if (rd.snapshot() != null) installSnapshot(node, rd.snapshot());
    node.storage.append(rd.entries());
    if (rd.hardState() != null) node.storage.setHardState(rd.hardState());
    network.send(rd.messages());
    rd.committedEntries().forEach(node::apply);
    node.raft().advance(rd);
  }

  private void installSnapshot(SimNode node, SnapshotMeta meta) {
    List<SimNode.Applied> payload = snapshotPayloads.get(meta.index() + "/" + meta.term());
    if (payload == null) throw new IllegalStateException("no payload for snapshot " + meta.index() + "/" + meta.term());
    node.storage.applySnapshot(meta);
    node.restoreSnapshot(meta, payload);
  }

  /** Delivers (or drops, when partitioned or the recipient is down) one message and prints it. */
  void deliver(Message m, String indent) {
    SimNode to = nodes.get(m.to());
    String dropReason = to == null ? "no such node" : !to.isUp() ? "node down"
        : !network.connected(m.from(), m.to()) ? "partitioned" : null;
    if (dropReason != null) {
      out.add(indent + m + " DROPPED (" + dropReason + ")");
      reportSnapshotOutcome(m, false, indent);
      return;
    }
    out.add(indent + m);
    try {
      to.raft().step(m);
    } catch (ProposalRejectedException e) {
      out.add(indent + "  " + rejection(e));
    } catch (RuntimeException e) {
      out.add(indent + "  error stepping " + m.to() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    reportSnapshotOutcome(m, true, indent);
  }

  /** The snapshot bytes travel beside the message; the sender's driver reports how streaming went. */
  void reportSnapshotOutcome(Message m, boolean success, String indent) {
    if (m.type() != MessageType.SNAPSHOT) return;
    SimNode from = nodes.get(m.from());
    if (from != null && from.isUp()) {
      from.raft().reportSnapshot(m.to(), success);
      out.add(indent + "  (" + m.from() + " told snapshot to " + m.to() + (success ? " succeeded)" : " failed)"));
    }
  }
}
