package io.raftkv.api.auth;

import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The authentication keys of MicroProfile Config (docs/security.md): off unless
 * {@code raftkv.auth.enabled=true}; the key names of MicroProfile JWT for the public key file and the
 * issuer, so an operator who knows MP-JWT finds them where expected.
 */
public record AuthSettings(boolean enabled, Path publicKeyLocation, String issuer, boolean metricsOpen) {

  public static final String ENABLED = "raftkv.auth.enabled";
  public static final String PUBLIC_KEY = "mp.jwt.verify.publickey.location";
  public static final String ISSUER = "mp.jwt.verify.issuer";
  public static final String METRICS_OPEN = "raftkv.auth.metrics.open";

  public static AuthSettings from(Config config) {
    boolean enabled = config.getOptionalValue(ENABLED, Boolean.class).orElse(false);
    Optional<String> key = config.getOptionalValue(PUBLIC_KEY, String.class);
    String location = key.map(k -> k.startsWith("file://") ? k.substring("file://".length()) : k).orElse(null);
    return new AuthSettings(enabled, location == null ? null : Path.of(location),
        config.getOptionalValue(ISSUER, String.class).orElse(null),
        config.getOptionalValue(METRICS_OPEN, Boolean.class).orElse(true));
  }
}
