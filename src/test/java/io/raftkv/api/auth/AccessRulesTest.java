package io.raftkv.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  private static final Caller READER = new Caller("r", Set.of(Role.READ), List.of());
  private static final Caller WRITER = new Caller("w", Set.of(Role.WRITE), List.of());
  private static final Caller READ_WRITE = new Caller("rw", Set.of(Role.READ, Role.WRITE), List.of());
  private static final Caller ADMIN = new Caller("a", Set.of(Role.ADMIN), List.of());
  private static final Caller APP1 = new Caller("app1", Set.of(Role.READ, Role.WRITE), List.of("app1/"));

  private static Requirement need(String method, String path) {
    return AccessRules.of(method, path, name -> null, true);
  }

  private static Requirement range(Map<String, String> query) {
    return AccessRules.of("GET", "/kv", query::get, true);
  }

  @Test
  void everyRouteNeedsItsRole() {
    assertThat(need("GET", "/kv/a").role()).isEqualTo(Role.READ);
    assertThat(need("HEAD", "/kv/a").role()).isEqualTo(Role.READ);
    assertThat(need("PUT", "/kv/a").role()).isEqualTo(Role.WRITE);
    assertThat(need("DELETE", "/kv/a").role()).isEqualTo(Role.WRITE);
    assertThat(need("GET", "/kv").role()).isEqualTo(Role.READ);
    assertThat(need("PUT", "/kv").role()).isEqualTo(Role.WRITE);
    assertThat(need("GET", "/cluster").role()).isEqualTo(Role.READ);
    assertThat(need("GET", "/cluster/status").role()).isEqualTo(Role.READ);
    assertThat(need("POST", "/cluster/status").role()).isEqualTo(Role.ADMIN);
    assertThat(need("POST", "/cluster/members").role()).isEqualTo(Role.ADMIN);
    assertThat(need("DELETE", "/cluster/members/3").role()).isEqualTo(Role.ADMIN);
    assertThat(need("POST", "/cluster/leader").role()).isEqualTo(Role.ADMIN);
  }

  @Test
  void unknownPathsFailClosedAndTheDashboardAndGuardedMethodsAreOpen() {
    assertThat(need("POST", "/cluster/snapshot").role()).isEqualTo(Role.ADMIN);
    assertThat(need("POST", "/kv/a").role()).isEqualTo(Role.ADMIN); // no such route today: not a write
    assertThat(need("POST", "/txns").role()).isEqualTo(Role.ADMIN);
    assertThat(need("PUT", "/txn").role()).isEqualTo(Role.ADMIN); // only POST is a txn
    assertThat(need("GET", "/anything").role()).isEqualTo(Role.READ);
    assertThat(need("GET", "/ui/").open()).isTrue();
    assertThat(need("GET", "/ui").open()).isTrue();
    assertThat(need("OPTIONS", "/cluster/leader").open()).isTrue();
    assertThat(need("GET", "/uix").open()).isFalse();
    assertThat(need("GET", "/health/ready").open()).isTrue();
    assertThat(need("GET", "/openapi").open()).isTrue();
    assertThat(need("GET", "/metrics").open()).isTrue();
    assertThat(AccessRules.of("GET", "/metrics/application", n -> null, false).role()).isEqualTo(Role.READ);
    assertThat(need("GET", "/healthy").open()).isFalse();
  }

  @Test
  void rolesDoNotImplyEachOther() {
    assertThat(Scopes.denial(need("GET", "/kv/a"), READER)).isNull();
    assertThat(Scopes.denial(need("PUT", "/kv/a"), READER)).contains("'write' role");
    assertThat(Scopes.denial(need("PUT", "/kv/a"), WRITER)).isNull();
    assertThat(Scopes.denial(need("GET", "/kv/a"), WRITER)).contains("'read' role");
    assertThat(Scopes.denial(need("POST", "/cluster/leader"), READ_WRITE)).contains("'admin' role");
    assertThat(Scopes.denial(need("POST", "/cluster/leader"), ADMIN)).isNull();
    assertThat(Scopes.denial(need("PUT", "/kv/a"), ADMIN)).contains("'write' role");
  }

  @Test
  void aPrefixScopeLimitsKeysButNotClusterReads() {
    assertThat(Scopes.denial(need("PUT", "/kv/app1/x"), APP1)).isNull();
    assertThat(Scopes.denial(need("PUT", "/kv/app2/x"), APP1)).contains("key 'app2/x' is outside");
    assertThat(Scopes.denial(need("DELETE", "/kv/app1"), APP1)).isNotNull(); // "app1" lacks the slash
    assertThat(Scopes.denial(need("PUT", "/kv"), APP1)).isNotNull();
    assertThat(Scopes.denial(need("GET", "/cluster"), APP1)).isNull();
    assertThat(Scopes.denial(need("GET", "/cluster/status"), APP1)).isNull();
    assertThat(Scopes.denial(need("GET", "/kv/app1/x"), APP1)).isNull();
  }

  @Test
  void aTxnNeedsWriteAndAnUnscopedToken() {
    assertThat(Scopes.denial(need("POST", "/txn"), WRITER)).isNull();
    assertThat(Scopes.denial(need("POST", "/txn"), READER)).contains("'write' role");
    assertThat(Scopes.denial(need("POST", "/txn"), APP1)).isNotNull(); // its keys are in the body
  }

  @Test
  void aWatchReadsItsKeyOrPrefixAndAScopedWatchOfEveryKeyIsRefused() {
    assertThat(Scopes.denial(watch(Map.of("prefix", "app1/")), APP1)).isNull();
    assertThat(Scopes.denial(watch(Map.of("key", "app1/x")), APP1)).isNull();
    assertThat(Scopes.denial(watch(Map.of("prefix", "app2/")), APP1)).isNotNull();
    assertThat(Scopes.denial(watch(Map.of("key", "app2/x")), APP1)).isNotNull();
    assertThat(Scopes.denial(watch(Map.of()), APP1)).isNotNull(); // every key
    assertThat(Scopes.denial(watch(Map.of()), READER)).isNull();
    assertThat(Scopes.denial(watch(Map.of()), WRITER)).contains("'read' role");
  }

  private static Requirement watch(Map<String, String> query) {
    return AccessRules.of("GET", "/watch", query::get, true);
  }

  @Test
  void aScopedRangeMustLieInsideOnePrefix() {
    assertThat(Scopes.denial(range(Map.of("prefix", "app1/")), APP1)).isNull();
    assertThat(Scopes.denial(range(Map.of("prefix", "app1/sub/")), APP1)).isNull();
    assertThat(Scopes.denial(range(Map.of("prefix", "app")), APP1)).contains("inside one prefix");
    assertThat(Scopes.denial(range(Map.of()), APP1)).isNotNull(); // every key
    assertThat(Scopes.denial(range(Map.of("start", "app1/a", "end", "app1/z")), APP1)).isNull();
    assertThat(Scopes.denial(range(Map.of("start", "app1/", "end", "app10")), APP1)).isNull(); // = successor
    assertThat(Scopes.denial(range(Map.of("start", "app1/", "end", "app11")), APP1)).isNotNull();
    assertThat(Scopes.denial(range(Map.of("start", "app1/")), APP1)).isNotNull(); // open end
    assertThat(Scopes.denial(range(Map.of("start", "app0", "end", "app1/z")), APP1)).isNotNull();
    assertThat(Scopes.denial(range(Map.of("prefix", "", "start", "app1/a", "end", "app1/b")), APP1)).isNull();
    assertThat(Scopes.denial(range(Map.of()), READ_WRITE)).isNull(); // unscoped: every key
  }

  @Test
  void successorIsTheSmallestStringAboveThePrefix() {
    assertThat(Scopes.successor("app1/")).isEqualTo("app10");
    assertThat(Scopes.successor("a" + Character.MAX_VALUE)).isEqualTo("b");
    assertThat(Scopes.successor(String.valueOf(Character.MAX_VALUE))).isNull();
  }

  @Test
  void pathsAreDecodedLikePathParametersAndAmbiguousOnesRefused() {
    assertThat(RequestPaths.decodedPath("/kv/app1%2Fx", "")).isEqualTo("/kv/app1/x");
    assertThat(RequestPaths.decodedPath("/kv/a+b%20c", "")).isEqualTo("/kv/a+b c");
    assertThat(RequestPaths.decodedPath("/kv/%C3%A9", "")).isEqualTo("/kv/é");
    assertThat(RequestPaths.decodedPath("/kv/app1/../../cluster/leader", "")).isNull();
    assertThat(RequestPaths.decodedPath("/kv/app1/%2e%2e/x", "")).isNull();
    assertThat(RequestPaths.decodedPath("/kv/app1;x=1", "")).isNull();
    assertThat(RequestPaths.decodedPath("/kv/%zz", "")).isNull();
    assertThat(RequestPaths.decodedPath("/ctx/kv/a", "/ctx")).isEqualTo("/kv/a");
  }

  @Test
  void auditLinesQuoteWhatTheClientChose() {
    assertThat(AuditLog.line("alice", "POST /cluster/leader", "10.0.0.1", "200"))
        .isEqualTo("admin sub=\"alice\" action=\"POST /cluster/leader\" from=10.0.0.1 outcome=200");
    assertThat(AuditLog.line(null, "DELETE /cluster/members/3\nadmin sub=\"x\"", "h", "401"))
        .doesNotContain("\n").startsWith("admin sub=\"-\"");
  }
}
