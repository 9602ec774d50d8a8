package io.raftkv.api;

import io.raftkv.api.cluster.ClusterResource;
import io.raftkv.api.cluster.ClusterStatusResource;
import io.raftkv.api.error.ErrorMapper;
import io.raftkv.api.kv.KvResource;
import io.raftkv.api.kv.TxnResource;
import io.raftkv.api.ui.UiResource;
import io.raftkv.api.watch.WatchResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP API at the root of the context ({@code /kv/...}, {@code /txn}, {@code /cluster}). Classes are listed
 * rather than scanned so that exactly this one mapper decides every error response.
 */
@ApplicationPath("/")
public class RaftKvApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(KvResource.class, TxnResource.class, WatchResource.class, ClusterResource.class,
        ClusterStatusResource.class, UiResource.class, ErrorMapper.class);
  }

  /**
   * No WADL; no Bean Validation pass per request: the API validates its input itself (ApiLimits,
   * RequestBodies) and declares no constraints, yet Jersey's validation interceptor cost 1.5% of the
   * request threads' samples under lease-read load (docs/benchmarks.md, seventh session).
   */
  @Override
  public Map<String, Object> getProperties() {
    return Map.of(
        "jersey.config.server.wadl.disableWadl", true,
        "jersey.config.beanValidation.disable.server", true);
  }
}
