package io.raftkv.kv;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An immutable, persistent AVL tree of {@link KvEntry} ordered by key. Every update returns a new tree
 * sharing all untouched nodes with the old one (O(log n) new nodes), so a snapshot is just a reference
 * to the current tree, and readers on other threads see a consistent tree without locks.
 */
final class KvTree {
  static final KvTree EMPTY = new KvTree(null);

  private record Node(KvEntry entry, Node left, Node right, int height, int size) {
    String key() {
      return entry.key();
    }
  }

  private final Node root;

  private KvTree(Node root) {
    this.root = root;
  }

  int size() {
    return size(root);
  }

  KvEntry get(String key) {
    Node n = root;
    while (n != null) {
      int c = key.compareTo(n.key());
      if (c == 0) return n.entry;
      n = c < 0 ? n.left : n.right;
    }
    return null;
  }

  /** This tree with {@code entry} stored under its key (replacing any previous entry). */
  KvTree with(KvEntry entry) {
    return new KvTree(put(root, entry));
  }

  /** This tree without {@code key}. */
  KvTree without(String key) {
    return get(key) == null ? this : new KvTree(remove(root, key));
  }

  /** Visits every entry in key order. */
  void forEach(Consumer<KvEntry> visitor) {
    ArrayDeque<Node> stack = new ArrayDeque<>();
    Node n = root;
    while (n != null || !stack.isEmpty()) {
      while (n != null) {
        stack.push(n);
        n = n.left;
      }
      n = stack.pop();
      visitor.accept(n.entry);
      n = n.right;
    }
  }

  /**
   * Visits in key order the entries whose key is above {@code from} (or equal to it when
   * {@code inclusive}), until {@code visitor} returns false or the keys run out. Finding the first entry
   * costs O(log n), each further one O(1) amortized: a range of k entries costs O(log n + k).
   */
  void forEachFrom(String from, boolean inclusive, Predicate<KvEntry> visitor) {
    ArrayDeque<Node> stack = new ArrayDeque<>();
    Node n = root;
    while (n != null) { // the stack holds the in-range ancestors whose left part was already narrowed
      int c = n.key().compareTo(from);
      if (c > 0 || (c == 0 && inclusive)) {
        stack.push(n);
        n = n.left;
      } else {
        n = n.right;
      }
    }
    while (!stack.isEmpty()) {
      Node next = stack.pop();
      if (!visitor.test(next.entry)) return;
      for (n = next.right; n != null; n = n.left) stack.push(n);
    }
  }

  /** How many keys are below {@code key} (or at most {@code key} when {@code inclusive}), in O(log n). */
  int rank(String key, boolean inclusive) {
    int below = 0;
    Node n = root;
    while (n != null) {
      int c = n.key().compareTo(key);
      if (c < 0 || (c == 0 && inclusive)) {
        below += size(n.left) + 1;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return below;
  }

  /** A balanced tree of entries already sorted by strictly increasing key, built in O(n). */
  static KvTree fromSorted(List<KvEntry> sorted) {
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i - 1).key().compareTo(sorted.get(i).key()) >= 0) {
        throw new IllegalArgumentException("keys not strictly increasing at " + i);
      }
    }
    return new KvTree(build(sorted, 0, sorted.size()));
  }

  private static Node build(List<KvEntry> sorted, int lo, int hi) {
    if (lo >= hi) return null;
    int mid = (lo + hi) >>> 1;
    return node(sorted.get(mid), build(sorted, lo, mid), build(sorted, mid + 1, hi));
  }

  private static Node put(Node n, KvEntry entry) {
    if (n == null) return node(entry, null, null);
    int c = entry.key().compareTo(n.key());
    if (c == 0) return new Node(entry, n.left, n.right, n.height, n.size);
    return c < 0 ? balance(n.entry, put(n.left, entry), n.right) : balance(n.entry, n.left, put(n.right, entry));
  }

  private static Node remove(Node n, String key) {
    if (n == null) return null;
    int c = key.compareTo(n.key());
    if (c < 0) return balance(n.entry, remove(n.left, key), n.right);
    if (c > 0) return balance(n.entry, n.left, remove(n.right, key));
    if (n.left == null) return n.right;
    if (n.right == null) return n.left;
    Node min = n.right;
    while (min.left != null) min = min.left;
    return balance(min.entry, n.left, removeMin(n.right));
  }

  private static Node removeMin(Node n) {
    if (n.left == null) return n.right;
    return balance(n.entry, removeMin(n.left), n.right);
  }

  private static Node balance(KvEntry entry, Node left, Node right) {
    int hl = height(left);
    int hr = height(right);
    if (hl > hr + 1) {
      if (height(left.left) >= height(left.right)) {
        return node(left.entry, left.left, node(entry, left.right, right));
      }
      Node lr = left.right;
      return node(lr.entry, node(left.entry, left.left, lr.left), node(entry, lr.right, right));
    }
    if (hr > hl + 1) {
      if (height(right.right) >= height(right.left)) {
        return node(right.entry, node(entry, left, right.left), right.right);
      }
      Node rl = right.left;
      return node(rl.entry, node(entry, left, rl.left), node(right.entry, rl.right, right.right));
    }
    return node(entry, left, right);
  }

  private static Node node(KvEntry entry, Node left, Node right) {
    return new Node(entry, left, right, 1 + Math.max(height(left), height(right)), 1 + size(left) + size(right));
  }

  private static int height(Node n) {
    return n == null ? 0 : n.height;
  }

  private static int size(Node n) {
    return n == null ? 0 : n.size;
  }

  /** Height of the tree (for balance tests). */
  int height() {
    return height(root);
  }
}
