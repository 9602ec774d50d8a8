package io.raftkv.raft.scenario;

import io.raftkv.raft.Message;
import io.raftkv.raft.MessageType;
import java.util.List;
import java.util.function.Predicate;

/** Commands that move work along: handle Readies, deliver or drop messages, run to quiescence. */
final class DeliveryCommands {

  /** Rounds after which {@code stabilize} gives up (a livelock would otherwise hang the test). */
  static final int MAX_STABILIZE_ROUNDS = 100;

  private final InteractionEnv env;

  private DeliveryCommands(InteractionEnv env) {
    this.env = env;
  }

  static void register(InteractionEnv env) {
    DeliveryCommands c = new DeliveryCommands(env);
    env.register("process-ready", c::processReady);
    env.register("deliver-msgs", c::deliverMsgs);
    env.register("stabilize", c::stabilize);
  }

  /** {@code process-ready ID...}: handles each node's pending Ready (messages go in flight). */
  private void processReady(ScenarioCommand cmd, List<String> out) {
    for (long id : cmd.ids(0)) {
      SimNode node = env.liveNode(id);
      if (node.raft().hasReady()) {
        env.processReady(node);
      } else {
        out.add("> " + id + " has no Ready");
      }
    }
  }

  /**
   * {@code deliver-msgs [ID...] [from=(..)] [type=(..)]} delivers the in-flight messages addressed to
   * the ids (default: all) that match the filters, in send order. {@code deliver-msgs drop=(ID...)
   * [from=..] [type=..]} instead drops the matching messages addressed to those ids.
   */
  private void deliverMsgs(ScenarioCommand cmd, List<String> out) {
    Predicate<Message> filter = filter(cmd);
    if (cmd.has("drop")) {
      List<Long> victims = cmd.getIds("drop");
      for (Message m : env.network.take(filter.and(m -> victims.contains(m.to())))) {
        out.add(m + " DROPPED (by script)");
        env.reportSnapshotOutcome(m, false, "");
      }
    } else {
      List<Long> to = cmd.ids(0);
      for (Message m : env.network.take(filter.and(m -> to.isEmpty() || to.contains(m.to())))) env.deliver(m, "");
    }
    if (out.isEmpty()) out.add("no messages");
  }

  private static Predicate<Message> filter(ScenarioCommand cmd) {
    List<Long> from = cmd.getIds("from");
    List<MessageType> types;
    try {
      types = cmd.getList("type").stream().map(MessageType::valueOf).toList();
    } catch (IllegalArgumentException e) {
      throw new ScriptError("unknown message type in " + cmd.getList("type"), e);
    }
    return m -> (from.isEmpty() || from.contains(m.from())) && (types.isEmpty() || types.contains(m.type()));
  }

  /**
   * {@code stabilize [ID...]}: repeatedly handles the Readies of the given (default: all live) nodes
   * and delivers the messages addressed to them, until nothing is left to do.
   */
  private void stabilize(ScenarioCommand cmd, List<String> out) {
    List<Long> ids = cmd.ids(0).isEmpty() ? List.copyOf(env.nodes.keySet()) : cmd.ids(0);
    for (int round = 0; round < MAX_STABILIZE_ROUNDS; round++) {
      boolean busy = false;
      for (long id : ids) {
        SimNode node = env.node(id);
        if (node.isUp() && node.raft().hasReady()) {
          env.processReady(node);
          busy = true;
        }
      }
      List<Message> batch = env.network.take(m -> ids.contains(m.to()));
      if (!batch.isEmpty()) {
        out.add("> delivering messages");
        batch.forEach(m -> env.deliver(m, "  "));
        busy = true;
      }
      if (!busy) return;
    }
    out.add("stabilize: still busy after " + MAX_STABILIZE_ROUNDS + " rounds (livelock?)");
  }
}
