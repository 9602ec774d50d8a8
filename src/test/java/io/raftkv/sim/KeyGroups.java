package io.raftkv.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits a history into independent key groups (union-find over keys): two keys share a group when one
 * operation touches both. A range touches every key of the history within its bounds (keys nobody
 * names are never written, so always absent); a range that covers no such key is a group of its own.
 * Each group is a separate object for the checker (linearizability is compositional).
 */
final class KeyGroups {

  /** The operations of one group, in history order; {@code name} lists its keys. */
  record Group(String name, List<Operation> operations) {}

  private final Map<String, String> parent = new HashMap<>();

  private KeyGroups() {}

  static List<Group> partition(List<Operation> ops) {
    Set<String> universe = new TreeSet<>();
    for (Operation o : ops) universe.addAll(o.op().namedKeys());
    KeyGroups groups = new KeyGroups();
    for (String k : universe) groups.parent.put(k, k);
    List<Set<String>> footprints = new ArrayList<>();
    for (Operation o : ops) {
      Set<String> keys = o.op().footprint(universe);
      footprints.add(keys);
      String first = null;
      for (String k : keys) {
        if (first == null) {
          first = k;
        } else {
          groups.union(first, k);
        }
      }
    }
    Map<String, List<Operation>> byRoot = new TreeMap<>();
    List<Group> result = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Set<String> keys = footprints.get(i);
      if (keys.isEmpty()) {
        result.add(new Group("(none: " + ops.get(i).op() + ")", List.of(ops.get(i))));
      } else {
        byRoot.computeIfAbsent(groups.find(keys.iterator().next()), r -> new ArrayList<>()).add(ops.get(i));
      }
    }
    Map<String, Set<String>> members = new TreeMap<>();
    for (String k : universe) members.computeIfAbsent(groups.find(k), r -> new TreeSet<>()).add(k);
    for (Map.Entry<String, List<Operation>> e : byRoot.entrySet()) {
      result.add(new Group(members.get(e.getKey()).toString(), e.getValue()));
    }
    return result;
  }

  private String find(String k) {
    String root = k;
    while (!parent.get(root).equals(root)) root = parent.get(root);
    while (!parent.get(k).equals(root)) {
      String next = parent.get(k);
      parent.put(k, root);
      k = next;
    }
    return root;
  }

  private void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (!ra.equals(rb)) parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
  }
}
