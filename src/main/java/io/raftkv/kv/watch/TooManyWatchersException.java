package io.raftkv.kv.watch;

/** The node already serves its maximum number of watchers: the API answers 503 + Retry-After. */
public final class TooManyWatchersException extends Exception {
  public TooManyWatchersException(int max) {
    super("this node already serves " + max + " watchers");
  }
}
