package io.raftkv.api;

import io.raftkv.api.metrics.RequestMetrics;
import java.util.ArrayList;
import java.util.List;

/** Remembers "operation status" for every finished request, in order. */
public final class RecordingMetrics implements RequestMetrics {

  public final List<String> finished = new ArrayList<>();
  public int started;

  @Override
  public synchronized Sample start(String operation) {
    started++;
    return status -> {
      synchronized (this) {
        finished.add(operation + " " + status);
      }
    };
  }
}
