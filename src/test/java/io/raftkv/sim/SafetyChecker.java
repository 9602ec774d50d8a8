package io.raftkv.sim;

import io.raftkv.raft.CompactedException;
import io.raftkv.raft.Entry;
import io.raftkv.raft.SnapshotMeta;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Raft's safety properties (Figure 3 of the paper), checked incrementally as nodes act, so a violation is
 * reported at the step that caused it.
 *
 * <ul>
 *   <li>Election safety: at most one leader per term, over the whole run.</li>
 *   <li>Log matching: every (index, term) ever written to any log denotes the same entry with the same
 *       predecessor term, so two logs that share an (index, term) agree on everything before it.</li>
 *   <li>Leader completeness: a leader's log holds every entry known committed when it takes office, and
 *       every entry committed later by a node in a lower term.</li>
 *   <li>State-machine safety: no two nodes commit or apply different entries at the same index.</li>
 * </ul>
 */
final class SafetyChecker {

  private record IndexTerm(long index, long term) {}

  private record Written(Entry entry, long prevTerm) {}

  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  private final Map<IndexTerm, Written> written = new HashMap<>();
  private final Map<Long, Entry> committed = new HashMap<>();
  private final Set<IndexTerm> leadersChecked = new HashSet<>();
  private long maxCommitted;

  /** A node reports it is leader in {@code term}. */
  void onLeader(long node, long term) {
    Long other = leaderOfTerm.putIfAbsent(term, node);
    if (other != null && other != node) {
      throw new SafetyViolation("election safety", "nodes " + other + " and " + node + " both led term " + term);
    }
  }

  /** A node persisted {@code entries}; {@code prevTerm} is the term of the entry before the first. */
  void onPersist(long node, List<Entry> entries, long prevTerm) {
    long prev = prevTerm;
    for (Entry e : entries) {
      Written w = new Written(e, prev);
      Written before = written.putIfAbsent(new IndexTerm(e.index(), e.term()), w);
      if (before != null && !before.equals(w)) {
        throw new SafetyViolation("log matching", "node " + node + " wrote " + describe(w)
            + " but another log has " + describe(before));
      }
      prev = e.term();
    }
  }

  /**
   * {@code entry} is committed according to {@code node} (it applied it, or its commit index covers it)
   * while {@code node} was in term {@code nodeTerm}.
   */
  void onCommitted(long node, long nodeTerm, Entry entry, Iterable<SimNode> liveNodes) {
    Entry before = committed.putIfAbsent(entry.index(), entry);
    if (before != null) {
      if (!before.equals(entry)) {
        throw new SafetyViolation("state machine safety", "node " + node + " committed " + entry
            + " but " + before + " was committed at that index before");
      }
      return;
    }
    maxCommitted = Math.max(maxCommitted, entry.index());
    for (SimNode n : liveNodes) {
      if (n.isLeader() && n.term() > nodeTerm && !holds(n.storage(), entry)) {
        throw new SafetyViolation("leader completeness", "node " + node + " (term " + nodeTerm
            + ") committed " + entry + " missing from leader " + n.id() + " of term " + n.term());
      }
    }
  }

  /** An installed snapshot must agree with the committed entry at its index. */
  void onSnapshotInstalled(long node, SnapshotMeta meta) {
    Entry c = committed.get(meta.index());
    if (c != null && c.term() != meta.term()) {
      throw new SafetyViolation("state machine safety", "node " + node + " installed snapshot "
          + meta.index() + "/" + meta.term() + " but " + c + " is committed there");
    }
  }

  /** Called after every step: each leader seen for the first time must hold every committed entry. */
  void afterStep(Iterable<SimNode> liveNodes) {
    for (SimNode n : liveNodes) {
      if (!n.isLeader()) continue;
      onLeader(n.id(), n.term());
      if (!leadersChecked.add(new IndexTerm(n.id(), n.term()))) continue;
      SimStorage log = n.storage();
      for (long i = log.snapshot().index() + 1; i <= maxCommitted; i++) {
        Entry c = committed.get(i);
        if (c != null && !holds(log, c)) {
          throw new SafetyViolation("leader completeness", "leader " + n.id() + " of term " + n.term()
              + " lacks committed entry " + c + " (its last index " + log.lastIndex() + ")");
        }
      }
    }
  }

  private static boolean holds(SimStorage log, Entry e) {
    if (e.index() <= log.snapshot().index()) return true;
    if (e.index() > log.lastIndex()) return false;
    try {
      return log.term(e.index()) == e.term();
    } catch (CompactedException ex) {
      return true;
    }
  }

  private static String describe(Written w) {
    return w.entry() + " after term " + w.prevTerm();
  }
}
