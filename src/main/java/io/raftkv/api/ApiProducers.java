package io.raftkv.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** CDI producers for the API's configuration. */
@ApplicationScoped
public class ApiProducers {

  @Inject
  @ConfigProperty(name = "raftkv.limits.key.bytes", defaultValue = "4096")
  int keyBytes;

  @Inject
  @ConfigProperty(name = "raftkv.limits.value.bytes", defaultValue = "1048576")
  int valueBytes;

  @Inject
  @ConfigProperty(name = "raftkv.limits.body.bytes", defaultValue = "1572864")
  int bodyBytes;

  @Produces
  @Singleton
  ApiLimits limits() {
    return new ApiLimits(keyBytes, valueBytes, bodyBytes);
  }

}
