package io.raftkv.node;

/**
 * The data directory contradicts itself (the log store names a snapshot whose file is missing or
 * unreadable): the node refuses to start rather than serve from it. Boot reports it and exits.
 */
public final class InconsistentDataException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  InconsistentDataException(String problem, Throwable cause) {
    super("data directory is inconsistent, refusing to start: " + problem + ". Restore the data directory"
        + " from a backup, or remove this node from the cluster and add it back with an empty data directory"
        + " (docs/operations.md, \"Start-up failures\")", cause);
  }
}
