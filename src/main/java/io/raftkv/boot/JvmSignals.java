package io.raftkv.boot;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.IntConsumer;

/**
 * Java 17's only way to handle a POSIX signal, {@code sun.misc.Signal} (module jdk.unsupported),
 * reached through reflection: javac flags every direct use as a proprietary API warning, which
 * cannot be suppressed and would fail the -Werror build.
 */
final class JvmSignals {
  private static final Class<?> SIGNAL = type("sun.misc.Signal");
  private static final Class<?> HANDLER = type("sun.misc.SignalHandler");

  private JvmSignals() {}

  /**
   * Makes {@code onSignal} (given the signal's number) the handler of signal {@code name} ("TERM").
   * Returns the earlier handler for {@link #restore}. Throws IllegalArgumentException when the JVM
   * does not let the application handle that signal.
   */
  static Object handle(String name, IntConsumer onSignal) {
    Object handler = Proxy.newProxyInstance(HANDLER.getClassLoader(), new Class<?>[] {HANDLER},
        (proxy, method, args) -> switch (method.getName()) {
          case "handle" -> {
            onSignal.accept((Integer) SIGNAL.getMethod("getNumber").invoke(args[0]));
            yield null;
          }
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "raftkv handler of SIG" + name;
        });
    return install(name, handler);
  }

  /** Puts back a handler returned by {@link #handle}. */
  static void restore(String name, Object previous) {
    install(name, previous);
  }

  private static Object install(String name, Object handler) {
    try {
      Object signal = SIGNAL.getConstructor(String.class).newInstance(name);
      Method handle = SIGNAL.getMethod("handle", SIGNAL, HANDLER);
      return handle.invoke(null, signal, handler);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) throw r; // unknown or reserved signal
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("sun.misc.Signal is not usable", e);
    }
  }

  private static Class<?> type(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name + " is missing (module jdk.unsupported)", e);
    }
  }
}
