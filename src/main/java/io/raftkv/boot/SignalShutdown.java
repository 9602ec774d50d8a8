package io.raftkv.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The node's own answer to SIGTERM and SIGINT: mark the node as stopping ({@link ServingGate} answers
 * the store's JSON 503 from then on), stop the node (Raft loop, transport, JE closed), then halt the
 * JVM. Without it the JVM's default handler runs Payara's shutdown hook, which undeploys the
 * application and only then closes the HTTP listener: that took seconds, and requests arriving in
 * between got Payara's own HTML 503 / empty 500 pages. Halting skips that undeploy; nothing of it is
 * needed — the node's state is closed by then and bin/raftkv-node wipes Payara's root directory at
 * every start. The HTTP port keeps answering the store's 503 until the process is gone, then refuses
 * connections. A watchdog halts the JVM anyway when stopping the node hangs. The exit status is
 * 128 + the signal's number, as with the JVM's default handler.
 */
final class SignalShutdown {
  private static final Logger LOG = Logger.getLogger(SignalShutdown.class.getName());
  static final List<String> SIGNALS = List.of("TERM", "INT");
  /** Above the node's own bounded close (loop join, transport shutdown timeout, JE checkpoint). */
  static final long WATCHDOG_MS = 15_000;

  private final Runnable markStopping;
  private final Runnable stopNode;
  private final IntConsumer halt;
  private final long watchdogMs;
  private final AtomicBoolean begun = new AtomicBoolean();
  private final List<String> installed = new ArrayList<>();
  private final List<Object> previous = new ArrayList<>();

  SignalShutdown(Runnable markStopping, Runnable stopNode, IntConsumer halt, long watchdogMs) {
    this.markStopping = markStopping;
    this.stopNode = stopNode;
    this.halt = halt;
    this.watchdogMs = watchdogMs;
  }

  /** A shutdown that halts the real JVM. */
  static SignalShutdown forJvm(Runnable stopNode) {
    return new SignalShutdown(ServingGate::stopping, stopNode, status -> Runtime.getRuntime().halt(status), WATCHDOG_MS);
  }

  /** Takes over SIGTERM and SIGINT. A signal the JVM does not let us handle keeps its default. */
  synchronized void install() {
    for (String name : SIGNALS) {
      try {
        previous.add(JvmSignals.handle(name, number -> shutdown(128 + number)));
        installed.add(name);
      } catch (IllegalArgumentException | IllegalStateException refused) {
        LOG.warning("cannot handle SIG" + name + " (" + refused.getMessage() + "); the container's shutdown runs");
      }
    }
  }

  /** Gives the signals back to their earlier handlers (an undeploy without exit). */
  synchronized void uninstall() {
    for (int i = 0; i < installed.size(); i++) {
      try {
        JvmSignals.restore(installed.get(i), previous.get(i));
      } catch (IllegalArgumentException | IllegalStateException e) {
        LOG.log(Level.FINE, "cannot restore the handler of SIG" + installed.get(i), e);
      }
    }
    installed.clear();
    previous.clear();
  }

  /** Gate to 503, stop the node, halt with {@code status}; only the first call does anything. */
  void shutdown(int status) {
    if (!begun.compareAndSet(false, true)) return;
    markStopping.run();
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(watchdogMs);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("raftkv: the node did not stop within " + watchdogMs + " ms; halting");
      halt.accept(status);
    }, "raftkv-shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      stopNode.run();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "error while stopping the node", e);
    } finally {
      watchdog.interrupt();
      flushLogs();
      halt.accept(status);
    }
  }

  private static void flushLogs() {
    for (Handler h : LogManager.getLogManager().getLogger("").getHandlers()) h.flush();
    System.out.flush();
    System.err.flush();
  }
}
