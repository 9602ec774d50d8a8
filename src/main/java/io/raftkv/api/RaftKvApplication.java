package io.raftkv.api;

import io.raftkv.api.cluster.ClusterResource;
import io.raftkv.api.error.ApiExceptionMapper;
import io.raftkv.api.error.JsonExceptionMapper;
import io.raftkv.api.error.JsonbExceptionMapper;
import io.raftkv.api.error.KvExceptionMapper;
import io.raftkv.api.error.NotAllowedExceptionMapper;
import io.raftkv.api.error.NotFoundExceptionMapper;
import io.raftkv.api.error.ProcessingExceptionMapper;
import io.raftkv.api.error.UnexpectedExceptionMapper;
import io.raftkv.api.error.WebApplicationExceptionMapper;
import io.raftkv.api.kv.KvResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The HTTP API at the root of the context ({@code /kv/...}, {@code /cluster}). Classes are listed
 * rather than scanned so that exactly these mappers decide every error response.
 */
@ApplicationPath("/")
public class RaftKvApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        KvResource.class,
        ClusterResource.class,
        ApiExceptionMapper.class,
        KvExceptionMapper.class,
        WebApplicationExceptionMapper.class,
        NotFoundExceptionMapper.class,
        NotAllowedExceptionMapper.class,
        JsonbExceptionMapper.class,
        JsonExceptionMapper.class,
        ProcessingExceptionMapper.class,
        UnexpectedExceptionMapper.class);
  }
}
