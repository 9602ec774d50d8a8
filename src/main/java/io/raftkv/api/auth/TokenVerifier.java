package io.raftkv.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * Verifies a bearer token (a signed JWT, RS256 or ES256) against the configured public keys and turns
 * its claims into a {@link Caller}: {@code sub} (required), {@code exp} (required; 30 s of clock skew),
 * {@code iss} (must equal the configured issuer when one is set), {@code groups} (the MicroProfile JWT
 * claim for roles) and the optional {@code raftkv_prefixes}. Several keys (a PEM file with several
 * {@code PUBLIC KEY} blocks) let tokens of the old and the new key both pass during a rotation.
 */
public final class TokenVerifier {

  public static final String PREFIXES_CLAIM = "raftkv_prefixes";
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  /**
   * How many verified tokens are remembered. Only tokens whose signature verified get in, so the
   * entries are tokens the operator issued; when full, the cache is emptied and refilled.
   */
  static final int CACHE_MAX = 1024;

  private final List<JwtConsumer> consumers;
  private final LongSupplier epochSeconds;
  /**
   * Token → the caller it verified as, until its {@code exp}. Verifying a JWT's signature (RSA or
   * ECDSA) on every request doubled a PUT's CPU over TLS (docs/benchmarks.md, eighth session); a token
   * is immutable and the keys are fixed for the node's life, so one verification holds until expiry.
   */
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Caller caller, long expiresAtEpochSeconds) {}

  public TokenVerifier(List<PublicKey> keys, String issuer) {
    this(keys, issuer, () -> System.currentTimeMillis() / 1000);
  }

  /** {@code epochSeconds}: the wall clock the cached tokens' {@code exp} is compared with (tests pass their own). */
  TokenVerifier(List<PublicKey> keys, String issuer, LongSupplier epochSeconds) {
    this.epochSeconds = epochSeconds;
    if (keys.isEmpty()) throw new IllegalArgumentException("no public key to verify tokens with");
    List<JwtConsumer> built = new ArrayList<>();
    for (PublicKey key : keys) {
      JwtConsumerBuilder builder = new JwtConsumerBuilder()
          .setRequireExpirationTime()
          .setRequireSubject()
          .setAllowedClockSkewInSeconds(30)
          .setSkipDefaultAudienceValidation()
          .setVerificationKey(key)
          .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
              AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
      if (issuer != null && !issuer.isBlank()) builder.setExpectedIssuer(issuer);
      built.add(builder.build());
    }
    this.consumers = List.copyOf(built);
  }

  /**
   * The caller the token speaks for, or {@link InvalidTokenException} saying why it does not. A token
   * verified before is answered from the cache until its {@code exp} (without the 30 s of skew the
   * full check allows: after {@code exp} it is checked again in full).
   */
  public Caller verify(String token) throws InvalidTokenException {
    Verified known = verified.get(token);
    if (known != null && epochSeconds.getAsLong() < known.expiresAtEpochSeconds()) {
      return known.caller();
    }
    InvalidJwtException last = null;
    for (JwtConsumer consumer : consumers) {
      try {
        JwtClaims claims = consumer.processToClaims(token);
        Caller caller = callerOf(claims);
        remember(token, caller, claims);
        return caller;
      } catch (InvalidJwtException e) {
        last = e;
        if (e.hasExpired()) throw new InvalidTokenException("the token has expired");
      }
    }
    throw new InvalidTokenException(reason(last));
  }

  private void remember(String token, Caller caller, JwtClaims claims) {
    try {
      if (verified.size() >= CACHE_MAX) verified.clear();
      verified.put(token, new Verified(caller, claims.getExpirationTime().getValue()));
    } catch (MalformedClaimException e) {
      // exp is required and was checked; a token whose exp cannot be read again is simply not cached
    }
  }

  /** How many verified tokens are cached (for tests). */
  int cachedTokens() {
    return verified.size();
  }

  /** A short reason that never echoes the token (jose4j's messages quote it). */
  private static String reason(InvalidJwtException e) {
    if (e == null) return "invalid token";
    if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
      return "the token's issuer (iss) is not the one this cluster accepts";
    }
    if (e.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) return "the token has no subject (sub)";
    if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) return "the token has no expiry (exp)";
    if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) return "the token is not valid yet (nbf)";
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || text.contains("JOSE object") || text.contains("signature")) {
      return "the token's signature does not verify with this cluster's keys (or its algorithm is not RS256/ES256)";
    }
    return "the token is not a valid signed JWT";
  }

  private static Caller callerOf(JwtClaims claims) throws InvalidTokenException {
    try {
      Set<Role> roles = EnumSet.noneOf(Role.class);
      if (claims.hasClaim("groups")) {
        for (String group : claims.getStringListClaimValue("groups")) Role.fromClaim(group).ifPresent(roles::add);
      }
      List<String> prefixes = claims.hasClaim(PREFIXES_CLAIM) ? claims.getStringListClaimValue(PREFIXES_CLAIM) : List.of();
      if (claims.hasClaim(PREFIXES_CLAIM) && (prefixes.isEmpty() || prefixes.contains(""))) {
        // An empty list would read as "unscoped": refuse it rather than widen the token.
        throw new InvalidTokenException("'" + PREFIXES_CLAIM + "' must list non-empty key prefixes");
      }
      return new Caller(claims.getSubject(), roles, prefixes);
    } catch (MalformedClaimException e) {
      throw new InvalidTokenException("malformed claim: " + e.getMessage());
    }
  }

  /** Every {@code PUBLIC KEY} block of a PEM file (RSA or EC, X.509 SubjectPublicKeyInfo). */
  public static List<PublicKey> readPublicKeys(Path pem) throws IOException, GeneralSecurityException {
    Matcher m = PEM.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
    List<PublicKey> keys = new ArrayList<>();
    while (m.find()) {
      X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1).strip()));
      keys.add(decode(spec));
    }
    if (keys.isEmpty()) throw new GeneralSecurityException("no '-----BEGIN PUBLIC KEY-----' block in " + pem);
    return keys;
  }

  private static PublicKey decode(X509EncodedKeySpec spec) throws GeneralSecurityException {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePublic(spec);
    }
  }

  /** Why a token is refused: the detail of a 401. */
  public static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String reason) {
      super(reason);
    }
  }
}
