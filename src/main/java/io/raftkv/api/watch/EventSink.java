package io.raftkv.api.watch;

/** Where a {@link WatchSession} writes its server-sent events (the JAX-RS sink, or a test's list). */
interface EventSink {

  /**
   * Writes one event and returns once it is handed to the connection.
   *
   * @param id the {@code id:} field (the client's Last-Event-ID after it), or null for none
   * @return false when the client is gone or the write failed: the session ends
   */
  boolean send(String name, Long id, String data);

  /** Ends the response. */
  void close();
}
