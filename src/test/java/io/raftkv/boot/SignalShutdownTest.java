package io.raftkv.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalShutdownTest {
  private final List<String> steps = new CopyOnWriteArrayList<>();

  @Test
  void marksStoppingThenStopsTheNodeThenHaltsWithTheSignalStatus() {
    var shutdown = new SignalShutdown(() -> steps.add("gate"), () -> steps.add("stop"),
        status -> steps.add("halt " + status), 10_000);

    shutdown.shutdown(143);

    assertThat(steps).containsExactly("gate", "stop", "halt 143");
  }

  @Test
  void aSecondSignalDoesNotStopTwice() {
    var shutdown = new SignalShutdown(() -> steps.add("gate"), () -> steps.add("stop"),
        status -> steps.add("halt " + status), 10_000);

    shutdown.shutdown(143);
    shutdown.shutdown(130);

    assertThat(steps).containsExactly("gate", "stop", "halt 143");
  }

  @Test
  void haltsEvenWhenStoppingTheNodeFails() {
    var shutdown = new SignalShutdown(() -> steps.add("gate"), () -> {
      throw new IllegalStateException("JE close failed");
    }, status -> steps.add("halt " + status), 10_000);

    shutdown.shutdown(143);

    assertThat(steps).containsExactly("gate", "halt 143");
  }

  @Test
  void theWatchdogHaltsWhenStoppingTheNodeHangs() throws Exception {
    CountDownLatch halted = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    var shutdown = new SignalShutdown(() -> steps.add("gate"), () -> {
      try {
        released.await(10, TimeUnit.SECONDS); // a wedged close
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, status -> {
      steps.add("halt " + status);
      halted.countDown();
    }, 100);
    Thread signalThread = new Thread(() -> shutdown.shutdown(143));
    signalThread.start();

    assertThat(halted.await(5, TimeUnit.SECONDS)).as("halted by the watchdog").isTrue();
    assertThat(steps).containsExactly("gate", "halt 143");
    released.countDown();
    signalThread.join(5_000);
  }
}
