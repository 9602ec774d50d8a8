package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RangeQueryTest {

  /** Keys with '/', multi-byte chars, a surrogate pair and U+FFFF (the prefix-end corner). */
  private static final List<String> KEYS = List.of("a", "a/", "a/b", "a/b/c", "a/c", "a0", "ab", "a\uFFFF",
      "a\uFFFF\uFFFF", "a\uFFFFz", "b", "b/\u00e9t\u00e9", "b/\u65e5\u672c", "b/\uD83D\uDE00", "c\uFFFF", "d");

  private static final KvTree TREE = treeOf(KEYS);

  private static KvTree treeOf(List<String> keys) {
    KvTree tree = KvTree.EMPTY;
    long revision = 0;
    for (String key : keys) {
      revision++;
      tree = tree.with(new KvEntry(key, "v" + revision, revision, revision, 1));
    }
    return tree;
  }

  private static List<String> keys(RangeResult result) {
    return result.entries().stream().map(KvEntry::key).toList();
  }

  private static List<String> keys(RangeQuery query) {
    return keys(query.withLimit(RangeQuery.MAX_LIMIT).over(TREE, 99));
  }

  @Test
  void aPrefixSelectsExactlyTheKeysThatStartWithIt() {
    assertThat(keys(RangeQuery.prefix("a/"))).containsExactly("a/", "a/b", "a/b/c", "a/c");
    assertThat(keys(RangeQuery.prefix("a/b"))).containsExactly("a/b", "a/b/c");
    assertThat(keys(RangeQuery.prefix("a\uFFFF"))).containsExactly("a\uFFFF", "a\uFFFFz", "a\uFFFF\uFFFF");
    assertThat(keys(RangeQuery.prefix("b/"))).containsExactly("b/\u00e9t\u00e9", "b/\u65e5\u672c", "b/\uD83D\uDE00");
    assertThat(keys(RangeQuery.prefix("b/\uD83D"))).containsExactly("b/\uD83D\uDE00");
    assertThat(keys(RangeQuery.prefix("c"))).containsExactly("c\uFFFF");
    assertThat(keys(RangeQuery.prefix("zz"))).isEmpty();
    assertThat(keys(RangeQuery.prefix(""))).isEqualTo(sorted(KEYS));
    assertThat(keys(RangeQuery.all())).isEqualTo(sorted(KEYS));
  }

  @Test
  void prefixEndIsTheLeastKeyAboveThePrefixedOnes() {
    assertThat(RangeQuery.prefixEnd("a/")).isEqualTo("a0");
    assertThat(RangeQuery.prefixEnd("a\uFFFF")).isEqualTo("b");
    assertThat(RangeQuery.prefixEnd("\uFFFF\uFFFF")).isNull();
    assertThat(RangeQuery.prefixEnd("")).isNull();
  }

  @Test
  void startAndEndAreHalfOpen() {
    assertThat(keys(RangeQuery.between("a/b", "a0"))).containsExactly("a/b", "a/b/c", "a/c");
    assertThat(keys(RangeQuery.between("a/bb", "a/c"))).isEmpty();
    assertThat(keys(RangeQuery.between("b/", null))).containsExactly(
        "b/\u00e9t\u00e9", "b/\u65e5\u672c", "b/\uD83D\uDE00", "c\uFFFF", "d");
    assertThat(keys(RangeQuery.between("", "a/"))).containsExactly("a");
    assertThatThrownBy(() -> RangeQuery.between("b", "b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RangeQuery.between("b", "a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void afterStartsStrictlyAfterTheKeyWhereverItLies() {
    assertThat(keys(RangeQuery.prefix("a/").withAfter("a/b"))).containsExactly("a/b/c", "a/c");
    assertThat(keys(RangeQuery.prefix("a/").withAfter("a/bz"))).containsExactly("a/c");
    assertThat(keys(RangeQuery.prefix("a/").withAfter("A"))).containsExactly("a/", "a/b", "a/b/c", "a/c");
    assertThat(keys(RangeQuery.prefix("a/").withAfter("a/c"))).isEmpty();
    assertThat(keys(RangeQuery.between("a", "b").withAfter("zzz"))).isEmpty();
  }

  @Test
  void pagesWithAfterAndMoreCoverTheRangeOnceInOrder() {
    List<String> seen = new ArrayList<>();
    RangeQuery query = RangeQuery.between("a/", null).withLimit(3);
    RangeResult page = query.over(TREE, 7);
    for (int pages = 1; page.more(); pages++) {
      assertThat(page.entries()).hasSize(3);
      assertThat(pages).isLessThan(KEYS.size());
      seen.addAll(keys(page));
      page = query.withAfter(seen.get(seen.size() - 1)).over(TREE, 7);
    }
    seen.addAll(keys(page));
    assertThat(seen).isEqualTo(sorted(KEYS).subList(1, KEYS.size()));
  }

  @Test
  void moreIsSetOnlyWhenKeysOfTheRangeAreLeft() {
    assertThat(RangeQuery.prefix("a/").withLimit(4).over(TREE, 1).more()).isFalse();
    assertThat(RangeQuery.prefix("a/").withLimit(3).over(TREE, 1).more()).isTrue();
    assertThat(RangeQuery.between("a/", "a/c").withLimit(3).over(TREE, 1).more()).isFalse();
    RangeResult result = RangeQuery.prefix("a/").withLimit(2).over(TREE, 5);
    assertThat(result).isEqualTo(RangeResult.items(5, List.of(TREE.get("a/"), TREE.get("a/b")), true));
    assertThatThrownBy(() -> RangeQuery.all().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RangeQuery.all().withLimit(10_001)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyStoreOrRangeAnswersNothingAndNoMore() {
    assertThat(RangeQuery.all().over(KvTree.EMPTY, 3)).isEqualTo(RangeResult.items(3, List.of(), false));
    assertThat(RangeQuery.all().counting().over(KvTree.EMPTY, 3)).isEqualTo(RangeResult.count(3, 0));
    assertThat(RangeQuery.prefix("x").over(TREE, 3)).isEqualTo(RangeResult.items(3, List.of(), false));
  }

  @Test
  void theByteBoundStopsEarlyButNeverBeforeTheFirstEntry() {
    KvTree tree = KvTree.EMPTY.with(new KvEntry("k1", "\u00e9\u00e9\u00e9", 1, 1, 1)) // 2 + 6 bytes
        .with(new KvEntry("k2", "12345678", 2, 2, 1)) // 2 + 8
        .with(new KvEntry("k3", "x", 3, 3, 1)); // 2 + 1
    RangeResult two = RangeQuery.all().withMaxBytes(18).over(tree, 3);
    assertThat(keys(two)).containsExactly("k1", "k2");
    assertThat(two.more()).isTrue();
    RangeResult cut = RangeQuery.all().withMaxBytes(17).over(tree, 3);
    assertThat(keys(cut)).containsExactly("k1");
    assertThat(cut.more()).isTrue();
    assertThat(keys(RangeQuery.all().withMaxBytes(1).over(tree, 3))).containsExactly("k1");
    assertThat(RangeQuery.all().withMaxBytes(20).over(tree, 3).more()).isTrue();
    assertThat(RangeQuery.all().withMaxBytes(21).over(tree, 3).more()).isFalse();
  }

  @Test
  void utf8BytesCountsAsTheEncoderDoes() {
    for (String key : KEYS) {
      assertThat(RangeQuery.utf8Bytes(key)).as(key).isEqualTo(key.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void countOnlyCountsTheWholeRangeWhateverTheLimit() {
    assertThat(RangeQuery.prefix("a").counting().over(TREE, 4)).isEqualTo(RangeResult.count(4, 10));
    assertThat(RangeQuery.prefix("a/").withAfter("a/b").counting().over(TREE, 4).count()).isEqualTo(2);
    assertThat(RangeQuery.between("b", null).withLimit(1).counting().over(TREE, 4).count()).isEqualTo(6);
    assertThat(RangeQuery.between("a", "b").withAfter("zzz").counting().over(TREE, 4).count()).isZero();
  }

  /** Random trees and queries against a brute-force filter of a TreeMap's ordered keys. */
  @Test
  void agreesWithBruteForceOverRandomTrees() {
    Random random = new Random(20261128);
    String[] alphabet = {"a", "b", "/", "\u00e9", "\uFFFF", "\uD83D\uDE00", "z"};
    for (int round = 0; round < 200; round++) {
      TreeMap<String, KvEntry> model = new TreeMap<>();
      KvTree tree = KvTree.EMPTY;
      for (int i = 0, n = random.nextInt(300); i < n; i++) {
        String key = randomKey(random, alphabet);
        KvEntry entry = new KvEntry(key, "v" + i, i + 1, i + 1, 1);
        model.put(key, entry);
        tree = tree.with(entry);
        if (random.nextInt(4) == 0) {
          String gone = randomKey(random, alphabet);
          model.remove(gone);
          tree = tree.without(gone);
        }
      }
      for (int q = 0; q < 20; q++) {
        RangeQuery query = randomQuery(random, alphabet);
        assertThat(query.over(tree, round)).as("%s", query).isEqualTo(bruteForce(model, query, round));
        assertThat(query.counting().over(tree, round)).as("count %s", query)
            .isEqualTo(bruteForce(model, query.counting(), round));
      }
    }
  }

  @Test
  void prefixesAgreeWithStartsWithOverRandomTrees() {
    Random random = new Random(11);
    String[] alphabet = {"a", "/", "\u00e9", "\uFFFF", "\uD83D\uDE00"};
    for (int round = 0; round < 100; round++) {
      TreeMap<String, KvEntry> model = new TreeMap<>();
      for (int i = 0, n = random.nextInt(200); i < n; i++) {
        String key = randomKey(random, alphabet);
        model.put(key, new KvEntry(key, "v", 1, 1, 1));
      }
      KvTree tree = KvTree.fromSorted(List.copyOf(model.values()));
      for (int q = 0; q < 10; q++) {
        String key = randomKey(random, alphabet);
        String prefix = key.substring(0, random.nextInt(key.length() + 1)); // may split a surrogate pair
        List<String> expected = model.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        RangeQuery query = RangeQuery.prefix(prefix).withLimit(RangeQuery.MAX_LIMIT);
        assertThat(keys(query.over(tree, 1))).as("prefix %s", prefix).isEqualTo(expected);
        assertThat(query.counting().over(tree, 1).count()).isEqualTo(expected.size());
      }
    }
  }

  private static RangeQuery randomQuery(Random random, String[] alphabet) {
    RangeQuery query;
    if (random.nextBoolean()) {
      query = RangeQuery.prefix(randomKey(random, alphabet).substring(0, random.nextInt(2)));
    } else {
      String a = random.nextInt(5) == 0 ? "" : randomKey(random, alphabet);
      String b = randomKey(random, alphabet);
      if (random.nextInt(4) == 0 || a.equals(b)) {
        query = RangeQuery.between(a, null);
      } else {
        query = a.compareTo(b) < 0 ? RangeQuery.between(a, b) : RangeQuery.between(b, a);
      }
    }
    if (random.nextBoolean()) query = query.withAfter(randomKey(random, alphabet));
    return query.withLimit(1 + random.nextInt(40));
  }

  private static String randomKey(Random random, String[] alphabet) {
    StringBuilder key = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) key.append(alphabet[random.nextInt(alphabet.length)]);
    return key.toString();
  }

  private static RangeResult bruteForce(TreeMap<String, KvEntry> model, RangeQuery query, long revision) {
    List<KvEntry> inRange = model.values().stream()
        .filter(e -> e.key().compareTo(query.start()) >= 0)
        .filter(e -> query.end() == null || e.key().compareTo(query.end()) < 0)
        .filter(e -> query.after() == null || e.key().compareTo(query.after()) > 0)
        .toList();
    if (query.countOnly()) return RangeResult.count(revision, inRange.size());
    List<KvEntry> page = inRange.subList(0, Math.min(query.limit(), inRange.size()));
    return RangeResult.items(revision, page, page.size() < inRange.size());
  }

  private static List<String> sorted(List<String> keys) {
    return keys.stream().sorted().toList();
  }
}
