package io.raftkv.boot;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the JVM with status 1 after a fatal node error. Payara Micro survives a failed deployment and
 * keeps answering HTTP as if healthy, and a node whose Raft loop died must not keep serving stale
 * data, so the process exits: the cause is logged (and printed to stderr, which survives even when
 * logging is being torn down), then a separate thread halts the JVM — halting from the CDI observer's
 * own thread could deadlock with the container's shutdown hooks. Set the system property
 * {@code raftkv.exit.on.fatal=false} to only log (tests).
 */
public final class FatalExit {
  private static final Logger LOG = Logger.getLogger(FatalExit.class.getName());
  private static final long GRACE_MS = 500;

  private FatalExit() {}

  public static void now(String what, Throwable cause) {
    LOG.log(Level.SEVERE, what + ": " + cause, cause);
    System.err.println("raftkv: FATAL: " + what + ": " + cause);
    if (!Boolean.parseBoolean(System.getProperty("raftkv.exit.on.fatal", "true"))) return;
    Thread halter = new Thread(() -> {
      try {
        Thread.sleep(GRACE_MS); // let the log handlers flush
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(1);
    }, "raftkv-fatal-exit");
    halter.setDaemon(false);
    halter.start();
  }
}
