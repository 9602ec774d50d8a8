package io.raftkv.api.metrics;

/** Records latency and outcome of API requests, per operation (put, get, delete, ...). */
public interface RequestMetrics {

  /** Records nothing (tests, or a server without metrics). */
  RequestMetrics NONE = operation -> status -> { };

  /** Starts timing one request; call {@link Sample#stop} exactly once with its HTTP status. */
  Sample start(String operation);

  /** One request being timed. */
  interface Sample {
    void stop(int status);
  }
}
