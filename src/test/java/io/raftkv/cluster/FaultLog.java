package io.raftkv.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the nemesis did and when (wall clock): one window per fault, from its injection until the
 * cluster recovered from it (or the next fault), so each client operation can be attributed to the
 * faults in progress when it started. Also keeps the nemesis's own errors (a node that would not
 * restart, a membership call refused) for the report. Thread-safe.
 */
final class FaultLog {
  /** Not a fault: what operations started while no fault was in progress are attributed to. */
  static final String NONE = "none";

  /** One fault: its kind (kill9, pause, ...), what it hit, and its time window in epoch millis. */
  static final class Window {
    final String kind;
    final String detail;
    final long startMillis;
    private volatile long endMillis = Long.MAX_VALUE;

    private Window(String kind, String detail, long startMillis) {
      this.kind = kind;
      this.detail = detail;
      this.startMillis = startMillis;
    }

    void close() {
      if (endMillis == Long.MAX_VALUE) endMillis = System.currentTimeMillis();
    }

    long endMillis() {
      return endMillis;
    }

    boolean covers(long millis) {
      return startMillis <= millis && millis < endMillis;
    }
  }

  private final List<Window> windows = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  Window open(String kind, String detail) {
    Window w = new Window(kind, detail, System.currentTimeMillis());
    synchronized (windows) {
      windows.add(w);
    }
    System.out.printf("[torture] %tT %s %s%n", w.startMillis, kind, detail);
    return w;
  }

  void error(String what) {
    synchronized (errors) {
      errors.add(String.format("%tT %s", System.currentTimeMillis(), what));
    }
    System.out.println("[torture] nemesis error: " + what);
  }

  /** Closes every window still open (end of the run). */
  void closeAll() {
    windows().forEach(Window::close);
  }

  List<Window> windows() {
    synchronized (windows) {
      return List.copyOf(windows);
    }
  }

  List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /** The kinds of fault in progress at {@code millis}, joined with "+" in name order, or {@link #NONE}. */
  String label(long millis) {
    TreeSet<String> kinds = new TreeSet<>();
    for (Window w : windows()) {
      if (w.covers(millis)) kinds.add(w.kind);
    }
    return kinds.isEmpty() ? NONE : String.join("+", kinds);
  }
}
