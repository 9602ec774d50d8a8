package io.raftkv.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.Path;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * RESTEasy (WildFly) refuses to deploy the WAR when a JAX-RS resource has no public constructor it
 * could call, even though CDI creates the instances (RESTEASY003190; WildFlyClusterIT found it for
 * TxnResource and WatchResource). Every resource the application lists keeps a public no-argument one.
 */
class ResourceConstructorsTest {

  @Test
  void everyResourceHasAPublicNoArgumentConstructor() throws Exception {
    for (Class<?> c : new RaftKvApplication().getClasses()) {
      if (!c.isAnnotationPresent(Path.class)) continue; // providers (ErrorMapper) are not resources
      assertThat(Modifier.isPublic(c.getDeclaredConstructor().getModifiers()))
          .as("%s() must be public for RESTEasy", c.getSimpleName()).isTrue();
    }
  }
}
