package io.raftkv.raft.scenario;

import io.raftkv.raft.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Messages sent but not yet delivered, in send order, plus the current partition. Nothing moves
 * unless a command delivers it, which is what makes the scenarios deterministic.
 */
final class Network {

  private final List<Message> inFlight = new ArrayList<>();
  /** Node id to partition group; empty map = fully connected. Nodes not listed form their own group 0. */
  private final Map<Long, Integer> groups = new HashMap<>();

  void send(List<Message> messages) {
    inFlight.addAll(messages);
  }

  /** Removes and returns the in-flight messages matching {@code filter}, keeping their order. */
  List<Message> take(Predicate<Message> filter) {
    List<Message> taken = new ArrayList<>();
    for (Iterator<Message> it = inFlight.iterator(); it.hasNext(); ) {
      Message m = it.next();
      if (filter.test(m)) {
        taken.add(m);
        it.remove();
      }
    }
    return taken;
  }

  List<Message> inFlight() {
    return List.copyOf(inFlight);
  }

  void partition(List<List<Long>> sides) {
    groups.clear();
    for (int g = 0; g < sides.size(); g++) {
      for (long id : sides.get(g)) groups.put(id, g + 1);
    }
  }

  void heal() {
    groups.clear();
  }

  boolean connected(long from, long to) {
    return groups.getOrDefault(from, 0).equals(groups.getOrDefault(to, 0));
  }
}
