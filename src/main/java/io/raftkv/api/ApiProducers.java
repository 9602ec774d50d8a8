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
  @ConfigProperty(name = ApiLimits.KEY_BYTES, defaultValue = "4096")
  int keyBytes;

  @Inject
  @ConfigProperty(name = ApiLimits.VALUE_BYTES, defaultValue = "1048576")
  int valueBytes;

  @Inject
  @ConfigProperty(name = ApiLimits.BODY_BYTES, defaultValue = "1572864")
  int bodyBytes;

  @Produces
  @Singleton
  ApiLimits limits() {
    return new ApiLimits(keyBytes, valueBytes, bodyBytes);
  }

}
