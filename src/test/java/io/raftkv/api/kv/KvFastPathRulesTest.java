package io.raftkv.api.kv;

import static io.raftkv.api.kv.KvFastPathRules.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.api.kv.KvFastPathRules.Op;
import io.raftkv.api.kv.KvFastPathRules.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KvFastPathRulesTest {

  @Test
  void aRouteIsAGetPutOrDeleteOfOnePlainKeyAndNothingElse() {
    assertThat(route("GET", "/kv/a", "", null, null, null)).isEqualTo(new Route(Op.GET, "a", ""));
    assertThat(route("GET", "/kv/a", "", "consistency=stale", "*/*", null)).isEqualTo(new Route(Op.GET, "a", "stale"));
    assertThat(route("PUT", "/app/kv/a/b", "/app", null, null, "application/json"))
        .isEqualTo(new Route(Op.PUT, "a/b", null));
    assertThat(route("DELETE", "/kv/a", "", null, "application/json", null)).isEqualTo(new Route(Op.DELETE, "a", null));
    // each of these JAX-RS answers in the container (a range, a TTL, a prefix delete, an escape...)
    assertThat(route("GET", "/kv/a", "", "prefix=x", null, null)).isNull();
    assertThat(route("PUT", "/kv/a", "", "ttl=5", null, null)).isNull();
    assertThat(route("PUT", "/kv/a", "", null, null, "text/plain")).isNull();
    assertThat(route("DELETE", "/kv/a", "", "prefix=true", null, null)).isNull();
    assertThat(route("POST", "/kv/a", "", null, null, null)).isNull();
    assertThat(route("GET", "/kv/a%20b", "", null, null, null)).isNull();
    assertThat(route("GET", "/kv/a", "", null, "text/html", null)).isNull();
    assertThat(route("GET", "/kv", "", null, null, null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"foo", "a/b/c", "user:42@eu", "x.y-z_~", "k!$&'()*+,=", "..a", "a..", ".hidden/x"})
  void plainKeysAreTakenAsTheyAre(String key) {
    assertThat(KvFastPathRules.keyOf("/kv/" + key, "")).isEqualTo(key);
    assertThat(KvFastPathRules.keyOf("/app/kv/" + key, "/app")).isEqualTo(key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a%20b", "a;b=1", "a//b", "/a", "a/", "./a", "a/./b", "a/..", "../a", ".", "..",
      "a b", "a\"b", "a<b", "a#b", "a?b", "a\\b", "é", "a|b", "a^b", "a`b", "a{b}", "a[b]"})
  void everythingElseGoesToJaxRs(String key) {
    assertThat(KvFastPathRules.keyOf("/kv/" + key, "")).isNull();
  }

  @Test
  void onlyPathsUnderKvSlashInTheContextAreKeys() {
    assertThat(KvFastPathRules.keyOf("/kv", "")).isNull();
    assertThat(KvFastPathRules.keyOf("/kvx/a", "")).isNull();
    assertThat(KvFastPathRules.keyOf("/other/kv/a", "")).isNull();
    assertThat(KvFastPathRules.keyOf("/kv/a", "/app")).isNull();
    assertThat(KvFastPathRules.keyOf(null, "")).isNull();
  }

  @Test
  void aGetTakesNoQueryOrExactlyOneConsistencyOfLetters() {
    assertThat(KvFastPathRules.consistencyOf(null)).isEmpty();
    assertThat(KvFastPathRules.consistencyOf("consistency=lease")).isEqualTo("lease");
    assertThat(KvFastPathRules.consistencyOf("consistency=Bogus")).isEqualTo("Bogus"); // 400 from Consistency
    assertThat(KvFastPathRules.consistencyOf("consistency=")).isNull();
    assertThat(KvFastPathRules.consistencyOf("")).isNull();
    assertThat(KvFastPathRules.consistencyOf("consistency=lease&x=1")).isNull();
    assertThat(KvFastPathRules.consistencyOf("consistency=le%61se")).isNull();
    assertThat(KvFastPathRules.consistencyOf("x=1&consistency=lease")).isNull();
    assertThat(KvFastPathRules.consistencyOf("consistency=lease&consistency=stale")).isNull();
  }

  @Test
  void acceptMustCertainlyTakeJson() {
    assertThat(KvFastPathRules.acceptsJson(null)).isTrue();
    assertThat(KvFastPathRules.acceptsJson("*/*")).isTrue();
    assertThat(KvFastPathRules.acceptsJson(" Application/JSON ")).isTrue();
    assertThat(KvFastPathRules.acceptsJson("text/html")).isFalse();
    assertThat(KvFastPathRules.acceptsJson("application/json;q=0")).isFalse();
    assertThat(KvFastPathRules.acceptsJson("text/html, */*")).isFalse();
  }

  @Test
  void putBodiesOfJsonOrFormTypeAreRead() {
    assertThat(KvFastPathRules.plainBodyType(null)).isTrue();
    assertThat(KvFastPathRules.plainBodyType("application/json")).isTrue();
    assertThat(KvFastPathRules.plainBodyType("application/x-www-form-urlencoded")).isTrue();
    assertThat(KvFastPathRules.plainBodyType("application/json; charset=UTF-8")).isTrue();
    assertThat(KvFastPathRules.plainBodyType("application/json; charset=latin1")).isFalse();
    assertThat(KvFastPathRules.plainBodyType("text/plain")).isFalse();
    assertThat(KvFastPathRules.plainBodyType(";;")).isFalse();
    assertThat(KvFastPathRules.plainBodyType("multipart/form-data; boundary=x")).isFalse();
  }
}
