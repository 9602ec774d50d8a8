package io.raftkv.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens from the operators' tool (bin/lib/tokens.sh, RS256) and ES256 tokens, verified by TokenVerifier. */
class TokenVerifierTest {
  @TempDir static Path dir;
  private static TokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    tokens("keygen", dir.resolve("a").toString());
    tokens("keygen", dir.resolve("other").toString());
    verifier = new TokenVerifier(TokenVerifier.readPublicKeys(dir.resolve("a/token-signing.pub")), "raftkv");
  }

  private static String tokens(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of("bin", "lib", "tokens.sh").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String issue(String key, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("issue", "--key=" + dir.resolve(key + "/token-signing.key")));
    args.addAll(List.of(more));
    return tokens(args.toArray(String[]::new));
  }

  @Test
  void aTokenFromTheToolGivesItsSubjectRolesAndPrefixes() throws Exception {
    Caller caller = verifier.verify(issue("a", "--sub=app1-writer", "--roles=read,write,ops", "--issuer=raftkv",
        "--prefixes=app1/,shared/"));
    assertThat(caller.subject()).isEqualTo("app1-writer");
    assertThat(caller.roles()).containsExactlyInAnyOrder(Role.READ, Role.WRITE); // "ops" is no role
    assertThat(caller.prefixes()).containsExactly("app1/", "shared/");
  }

  @Test
  void expiredForeignWrongIssuerAndGarbageTokensAreRefusedWithTheReason() throws Exception {
    long hourAgo = System.currentTimeMillis() / 1000 - 3600;
    assertThatThrownBy(() -> verifier.verify(issue("a", "--sub=x", "--roles=admin", "--issuer=raftkv",
        "--ttl=60", "--now=" + hourAgo))).hasMessageContaining("expired");
    assertThatThrownBy(() -> verifier.verify(issue("other", "--sub=x", "--roles=admin", "--issuer=raftkv")))
        .hasMessageContaining("signature");
    assertThatThrownBy(() -> verifier.verify(issue("a", "--sub=x", "--roles=admin", "--issuer=elsewhere")))
        .hasMessageContaining("issuer");
    assertThatThrownBy(() -> verifier.verify("not.a.token")).isInstanceOf(TokenVerifier.InvalidTokenException.class);
    String valid = issue("a", "--sub=x", "--roles=admin", "--issuer=raftkv");
    String[] parts = valid.split("\\.");
    String unsigned = parts[0].replace(parts[0], b64("{\"alg\":\"none\"}")) + "." + parts[1] + ".";
    assertThatThrownBy(() -> verifier.verify(unsigned)).isInstanceOf(TokenVerifier.InvalidTokenException.class);
  }

  @Test
  void anEmptyPrefixListIsRefusedRatherThanReadAsUnscoped() throws Exception {
    assertThatThrownBy(() -> verifier.verify(issue("a", "--sub=x", "--roles=write", "--issuer=raftkv",
        "--prefixes=,"))).hasMessageContaining("raftkv_prefixes");
  }

  @Test
  void es256TokensAndSeveralKeysForARotation() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ec = generator.generateKeyPair();
    Path both = dir.resolve("rotation.pub");
    String ecPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(ec.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    Files.writeString(both, Files.readString(dir.resolve("a/token-signing.pub")) + ecPem);
    TokenVerifier rotating = new TokenVerifier(TokenVerifier.readPublicKeys(both), null);

    JwtClaims claims = new JwtClaims();
    claims.setSubject("ec-admin");
    claims.setStringListClaim("groups", "admin");
    claims.setExpirationTimeMinutesInTheFuture(5);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(ec.getPrivate());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    assertThat(rotating.verify(jws.getCompactSerialization()).roles()).containsExactly(Role.ADMIN);
    assertThat(rotating.verify(issue("a", "--sub=rsa", "--roles=read")).subject()).isEqualTo("rsa");
    assertThatThrownBy(() -> verifier.verify(jws.getCompactSerialization())).hasMessageContaining("signature");
  }

  @Test
  void aVerifiedTokenIsRememberedUntilItsExpiryAndOnlyVerifiedTokensAre() throws Exception {
    KeyPair ec = ecKeys();
    long[] now = {System.currentTimeMillis() / 1000};
    TokenVerifier caching = new TokenVerifier(List.of(ec.getPublic()), null, () -> now[0]);
    long exp = now[0] + 300;
    String token = es256(ec, "cached", exp);

    Caller first = caching.verify(token);
    assertThat(caching.verify(token)).as("answered from the cache").isSameAs(first);
    now[0] = exp; // at exp the cached answer no longer counts: the token is verified in full again
    assertThat(caching.verify(token)).isNotSameAs(first).isEqualTo(first);

    assertThatThrownBy(() -> caching.verify(es256(ecKeys(), "foreign", exp))).hasMessageContaining("signature");
    assertThatThrownBy(() -> caching.verify("not.a.token")).isInstanceOf(TokenVerifier.InvalidTokenException.class);
    assertThat(caching.cachedTokens()).as("refused tokens are never remembered").isEqualTo(1);
  }

  @Test
  void theCacheIsBounded() throws Exception {
    KeyPair ec = ecKeys();
    TokenVerifier caching = new TokenVerifier(List.of(ec.getPublic()), null);
    long exp = System.currentTimeMillis() / 1000 + 300;
    for (int i = 0; i <= TokenVerifier.CACHE_MAX; i++) {
      caching.verify(es256(ec, "client-" + i, exp));
      assertThat(caching.cachedTokens()).isLessThanOrEqualTo(TokenVerifier.CACHE_MAX);
    }
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String es256(KeyPair keys, String subject, long expEpochSeconds) throws Exception {
    JwtClaims claims = new JwtClaims();
    claims.setSubject(subject);
    claims.setStringListClaim("groups", "read");
    claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(expEpochSeconds));
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(keys.getPrivate());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    return jws.getCompactSerialization();
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
