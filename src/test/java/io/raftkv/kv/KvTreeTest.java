package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KvTreeTest {

  @Test
  void behavesLikeTreeMapAndStaysBalanced() {
    Random random = new Random(7);
    TreeMap<String, KvEntry> model = new TreeMap<>();
    KvTree tree = KvTree.EMPTY;
    for (int step = 0; step < 50_000; step++) {
      String key = "k" + random.nextInt(5_000);
      if (random.nextInt(3) == 0) {
        model.remove(key);
        tree = tree.without(key);
      } else {
        KvEntry e = new KvEntry(key, "v" + step, step, step, 1);
        model.put(key, e);
        tree = tree.with(e);
      }
      if (step % 5_000 == 0) assertSameContents(tree, model);
    }
    assertSameContents(tree, model);
    double bound = 1.45 * (Math.log(model.size() + 2) / Math.log(2));
    assertThat((double) tree.height()).isLessThanOrEqualTo(bound);
  }

  @Test
  void oldVersionsAreUnaffectedByUpdates() {
    KvTree v1 = KvTree.EMPTY.with(new KvEntry("a", "1", 1, 1, 1)).with(new KvEntry("b", "2", 2, 2, 1));
    KvTree v2 = v1.with(new KvEntry("a", "changed", 1, 3, 2)).without("b").with(new KvEntry("c", "3", 4, 4, 1));
    assertThat(v1.get("a").value()).isEqualTo("1");
    assertThat(v1.get("b")).isNotNull();
    assertThat(v1.get("c")).isNull();
    assertThat(v1.size()).isEqualTo(2);
    assertThat(v2.get("a").value()).isEqualTo("changed");
    assertThat(v2.get("b")).isNull();
    assertThat(v2.size()).isEqualTo(2);
  }

  @Test
  void fromSortedBuildsTheSameMap() {
    List<KvEntry> sorted = new ArrayList<>();
    for (int i = 0; i < 1000; i++) sorted.add(new KvEntry(String.format("key%05d", i), "v", i, i, 1));
    KvTree tree = KvTree.fromSorted(sorted);
    List<KvEntry> visited = new ArrayList<>();
    tree.forEach(visited::add);
    assertThat(visited).isEqualTo(sorted);
    assertThat(tree.height()).isLessThanOrEqualTo(11);
  }

  @Test
  void forEachFromAndRankAgreeWithTreeMap() {
    Random random = new Random(3);
    TreeMap<String, KvEntry> model = new TreeMap<>();
    KvTree tree = KvTree.EMPTY;
    for (int i = 0; i < 2_000; i++) {
      String key = "k" + random.nextInt(3_000);
      KvEntry e = new KvEntry(key, "v", i, i, 1);
      model.put(key, e);
      tree = tree.with(e);
    }
    for (int q = 0; q < 500; q++) {
      String from = "k" + random.nextInt(3_100);
      boolean inclusive = random.nextBoolean();
      List<KvEntry> visited = new ArrayList<>();
      int wanted = random.nextInt(20);
      tree.forEachFrom(from, inclusive, e -> visited.add(e) && visited.size() < wanted);
      List<KvEntry> expected = model.tailMap(from, inclusive).values().stream().limit(Math.max(1, wanted)).toList();
      assertThat(visited).as("from %s %s", from, inclusive).isEqualTo(expected);
      assertThat(tree.rank(from, inclusive)).isEqualTo(model.headMap(from, inclusive).size());
    }
  }

  @Test
  void forEachFromVisitsToTheLastKeyAndNothingPastIt() {
    KvTree tree = KvTree.EMPTY.with(new KvEntry("a", "1", 1, 1, 1)).with(new KvEntry("b", "2", 2, 2, 1));
    List<String> visited = new ArrayList<>();
    tree.forEachFrom("a", false, e -> visited.add(e.key()));
    assertThat(visited).containsExactly("b");
    tree.forEachFrom("b", false, e -> visited.add(e.key()));
    KvTree.EMPTY.forEachFrom("", true, e -> visited.add(e.key()));
    assertThat(visited).containsExactly("b");
    assertThat(tree.rank("", true)).isZero();
    assertThat(tree.rank("b", true)).isEqualTo(2);
  }

  private static void assertSameContents(KvTree tree, TreeMap<String, KvEntry> model) {
    List<KvEntry> visited = new ArrayList<>();
    tree.forEach(visited::add);
    assertThat(visited).containsExactlyElementsOf(model.values());
    assertThat(tree.size()).isEqualTo(model.size());
    for (String k : List.of("k1", "k42", "k4999", "absent")) assertThat(tree.get(k)).isEqualTo(model.get(k));
  }
}
